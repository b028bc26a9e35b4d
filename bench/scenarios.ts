import { customerFormBody } from './customer-form.js';
import type { Fixtures } from './fixtures.js';
import { DETAIL_TARGET, LIST_TARGET, SAVE_TARGET, type Target } from './targets.js';

/** What a successful answer looks like: the bare route's body, a list page, or `{"code":1,…}`. */
export type Expectation = 'bare' | 'list' | 'code1';

export interface ScenarioRequest {
  path: string;
  body?: string;
}

export interface Scenario {
  name: string;
  server: 'bare' | 'app';
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Sent in turn, one per request, so consecutive requests hit different rows. */
  requests: ScenarioRequest[];
  expect: Expectation;
  target?: Target;
}

export const BARE_SCENARIO = 'bare';
const LIST_PATH = '/order_mianshen/ajax_get_list';

/** In order; save_customer_info comes last because it rewrites borrowers the others read. */
export function buildScenarios(fixtures: Fixtures, now: number): Scenario[] {
  const auth = { authorization: `Bearer ${fixtures.token}` };
  const list = (name: string, requests: ScenarioRequest[]): Scenario => ({
    name,
    server: 'app',
    method: 'GET',
    headers: auth,
    requests,
    expect: 'list',
    target: LIST_TARGET,
  });
  return [
    {
      name: BARE_SCENARIO,
      server: 'bare',
      method: 'GET',
      headers: {},
      requests: [{ path: '/bare' }],
      expect: 'bare',
    },
    list('list, no filter', [{ path: LIST_PATH }]),
    list('list, city 上海市', [{ path: `${LIST_PATH}?city_key=${encodeURIComponent('上海市')}` }]),
    list('list, rejected only', [{ path: `${LIST_PATH}?is_bohui=1` }]),
    list(
      'list, customer mobile',
      fixtures.mobiles.map((mobile) => ({ path: `${LIST_PATH}?customer_mobile=${mobile}` })),
    ),
    {
      name: 'order_detail',
      server: 'app',
      method: 'GET',
      headers: auth,
      requests: fixtures.detailIds.map((id) => ({ path: `/order_mianqian/order_detail?son_order_id=${id}` })),
      expect: 'code1',
      target: DETAIL_TARGET,
    },
    {
      name: 'save_customer_info',
      server: 'app',
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      requests: fixtures.saveIds.map((id) => ({
        path: '/order_mianqian/save_customer_info',
        body: customerFormBody(id, now),
      })),
      expect: 'code1',
      target: SAVE_TARGET,
    },
  ];
}
