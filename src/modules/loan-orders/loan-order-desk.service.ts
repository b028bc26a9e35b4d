import { FieldReader, type RawInput } from '../../core/field-reader.js';
import { shanghaiDayRange } from '../../core/time.js';
import { requireStageRole } from './loan-order-access.js';
import { findAgentIds } from './loan-order-agent.repository.js';
import { findOrderIdsByBorrowerMobile } from './loan-order-borrower.repository.js';
import { CITIES, isCity } from './loan-order-catalog.js';
import type { Actor, LoanOrderDeps } from './loan-order-deps.js';
import {
  countDeskRows,
  type DeskFilter,
  isBucketFilter,
  listDeskAfter,
  listDeskPage,
  listStagePage,
  sumDeskCounts,
} from './loan-order-desk.repository.js';
import { FIELD_LABELS } from './loan-order-fields.js';
import { STAGES, type Stage } from './loan-order-state.js';

/** Rows per page of a desk list (the spec leaves it open; docs/mianqian.md documents it). */
export const DESK_PAGE_SIZE = 20;
const MAX_PAGE = 100_000;

export interface DeskRow {
  son_order_id: string;
  customer_name: string | null;
  customer_mobile: string | null;
  user_name: string | null;
  user_mobile: string | null;
  house_address: string;
  is_bohui: number;
  appointment_time: number | null;
  face_trial_time: number | null;
  mianqian_opt_time: number | null;
  /** The stage that returned the order to 客服 (with `is_bohui`), for 客服 to see who sent it back. */
  bohui_stage: Stage | null;
  created_at: number;
}

export interface DeskPage {
  bohui_count: number;
  page_count: number;
  total: number;
  rows: DeskRow[];
}

/**
 * A desk's work list with the spec's filters. Counts are exact for the filter: the city and
 * 驳回 filters read the count buckets; the others narrow to a few rows through an index first.
 */
export async function listDesk(
  deps: LoanOrderDeps,
  actor: Actor,
  desk: Stage,
  input: RawInput,
): Promise<DeskPage> {
  requireStageRole(actor, desk);
  const r = new FieldReader(input, FIELD_LABELS);
  const query = readDeskQuery(r);
  const page = r.int('page_num', { min: 1, max: MAX_PAGE }) ?? 1;
  r.done();
  const filter = await resolveDeskFilter(deps, desk, query);
  if (filter === null) return { bohui_count: 0, page_count: 0, total: 0, rows: [] };
  const counts = isBucketFilter(filter)
    ? await sumDeskCounts(deps.db, desk, filter.city)
    : await countDeskRows(deps.db, filter);
  const total = filter.isBohui ? counts.bohui : counts.total;
  const offset = (page - 1) * DESK_PAGE_SIZE;
  const rows = offset < total ? await listDeskPage(deps.db, filter, DESK_PAGE_SIZE, offset) : [];
  return {
    bohui_count: counts.bohui,
    page_count: Math.ceil(total / DESK_PAGE_SIZE),
    total,
    rows: rows.map(toDeskRow),
  };
}

/** One desk row as the export writes it: the list's row, with the order's city. */
export interface DeskExportRow extends DeskRow {
  id: number;
  city: string;
}

/**
 * The desk list's filters, read and checked at once (every bad field named), for an export: the
 * same rows the list pages through, handed out a keyset page at a time in the list's order. An
 * exact lookup that finds nobody gives an export of no rows.
 */
export async function deskExport(
  deps: LoanOrderDeps,
  actor: Actor,
  desk: Stage,
  input: RawInput,
): Promise<(after: DeskExportRow | undefined, limit: number) => Promise<DeskExportRow[]>> {
  requireStageRole(actor, desk);
  const r = new FieldReader(input, FIELD_LABELS);
  const query = readDeskQuery(r);
  r.done();
  const filter = await resolveDeskFilter(deps, desk, query);
  return async (after, limit) => {
    if (filter === null) return [];
    const rows = await listDeskAfter(deps.db, filter, after, limit);
    return rows.map((row) => ({ ...toDeskRow(row), id: row.id, city: row.city }));
  };
}

function readDeskQuery(r: FieldReader) {
  const customerName = r.text('customer_name', { max: 30 });
  const customerMobile = r.mobile('customer_mobile');
  const agentName = r.text('user_name', { max: 20 });
  const agentMobile = r.mobile('user_mobile');
  const city = r.text('city_key', { max: 10 });
  if (city !== undefined && !isCity(city)) r.fail('city_key', '城市不在可选范围内');
  const appointment = readDay(r, 'appointment_time');
  const mianqianOpt = readDay(r, 'mianqian_opt_time');
  const isBohui = r.int('is_bohui', { oneOf: [0, 1] });
  return { customerName, customerMobile, agentName, agentMobile, city, appointment, mianqianOpt, isBohui };
}

/** The filter of a read query, or null when an exact lookup (mobile, agent) found nobody. */
async function resolveDeskFilter(
  deps: LoanOrderDeps,
  desk: Stage,
  query: ReturnType<typeof readDeskQuery>,
): Promise<DeskFilter | null> {
  const { customerName, customerMobile, agentName, agentMobile, city, appointment, mianqianOpt, isBohui } =
    query;
  // 客服's desk is its whole queue: an order returned to 客服 is 客服's work again, and 客服
  // filters it as any other (the queue route GET /api/loan-orders?stage=kefu shows the same rows).
  const filter: DeskFilter = desk === 'kefu' ? { desk, wholeStage: true } : { desk };
  if (customerName !== undefined) filter.customerName = customerName;
  // Exact lookups run first: they narrow the desk to a handful of ids an index can test.
  if (customerMobile !== undefined) {
    filter.orderIds = await findOrderIdsByBorrowerMobile(
      deps.db,
      deps.pii.blindIndex(customerMobile, 'mobile'),
    );
  }
  if (agentName !== undefined || agentMobile !== undefined) {
    filter.agentIds = await findAgentIds(deps.db, {
      ...(agentName === undefined ? {} : { realname: agentName }),
      ...(agentMobile === undefined ? {} : { mobileHash: deps.pii.blindIndex(agentMobile, 'mobile') }),
    });
  }
  if (city !== undefined) filter.city = city;
  if (appointment) filter.appointment = appointment;
  if (mianqianOpt) filter.mianqianOpt = mianqianOpt;
  if (isBohui === 1) filter.isBohui = true;
  return filter.orderIds?.length === 0 || filter.agentIds?.length === 0 ? null : filter;
}

function toDeskRow(row: Awaited<ReturnType<typeof listDeskPage>>[number]): DeskRow {
  return {
    son_order_id: row.son_order_id,
    customer_name: row.customer_name,
    customer_mobile: row.customer_mobile,
    user_name: row.user_name,
    user_mobile: row.user_mobile,
    house_address: fullAddress(row.city, row.house_city, row.house_address),
    is_bohui: row.is_bohui,
    appointment_time: row.appointment_time,
    face_trial_time: row.face_trial_time,
    mianqian_opt_time: row.mianqian_opt_time,
    bohui_stage: row.bohui_stage,
    created_at: Number(row.created_at),
  };
}

/** The entry page of a desk: how many of its orders are 驳回, and the cities it covers. */
export async function deskSummary(
  deps: LoanOrderDeps,
  actor: Actor,
  desk: Stage,
): Promise<{ bohui_count: number; cities: readonly string[] }> {
  requireStageRole(actor, desk);
  const counts = await sumDeskCounts(deps.db, desk, undefined);
  return { bohui_count: counts.bohui, cities: CITIES };
}

export function isDesk(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

function readDay(r: FieldReader, field: string) {
  const day = r.date(field);
  return day === undefined ? undefined : (shanghaiDayRange(day) ?? undefined);
}

/** The spec's list shows the address with its city and district in front. */
function fullAddress(city: string, district: string | null, address: string | null): string {
  if (!address) return `${city}${district ?? ''}`;
  return address.startsWith(city) ? address : `${city}${district ?? ''}${address}`;
}

export interface StageQueueRow {
  son_order_id: string;
  customer_name: string | null;
  city: string;
  is_bohui: number;
  bohui_stage: Stage | null;
  appointment_time: number | null;
  created_at: number;
}

/** The open orders waiting at a stage, newest first: how other stages find their work. */
export async function listStageQueue(
  deps: LoanOrderDeps,
  actor: Actor,
  stage: Stage,
  input: RawInput,
): Promise<{ total: number; page_count: number; rows: StageQueueRow[] }> {
  requireStageRole(actor, stage);
  const r = new FieldReader(input, FIELD_LABELS);
  const page = r.int('page_num', { min: 1, max: MAX_PAGE }) ?? 1;
  r.done();
  const { total, rows } = await listStagePage(deps.db, stage, DESK_PAGE_SIZE, (page - 1) * DESK_PAGE_SIZE);
  return { total, page_count: Math.ceil(total / DESK_PAGE_SIZE), rows };
}
