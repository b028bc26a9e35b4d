import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BARE_BODY } from './bare-app.js';
import type { Scenario } from './scenarios.js';

export const CONNECTIONS = 10;

// autocannon's worker thread loads its hooks by path (functions cannot cross threads).
const ROTATE_REQUEST = fileURLToPath(new URL('./rotate-request.cjs', import.meta.url));
const VERIFY_SUCCESS = fileURLToPath(new URL('./verify-success.cjs', import.meta.url));

export interface Measurement {
  /** Mean of the per-second request counts. */
  rps: number;
  p50: number;
  p99: number;
  latencyMean: number;
  total: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** 2xx or not, answers whose body is not a success. */
  mismatches: number;
}

/**
 * Loads one scenario for `seconds` with autocannon. The load generator runs in a worker thread,
 * so it does not share the servers' event loop (it still shares the machine's cores).
 */
export async function measure(baseUrl: string, scenario: Scenario, seconds: number): Promise<Measurement> {
  const [first] = scenario.requests;
  if (!first) throw new Error(`${scenario.name}: no requests`);
  // One request is sent as the options themselves; a pool travels to the worker with the
  // request, and rotate-request.cjs takes its entries in turn.
  const sending: autocannon.Options =
    scenario.requests.length === 1
      ? {
          url: baseUrl + first.path,
          method: scenario.method,
          headers: scenario.headers,
          ...(first.body === undefined ? {} : { body: first.body }),
        }
      : {
          url: baseUrl,
          requests: [
            {
              method: scenario.method,
              headers: scenario.headers,
              path: first.path,
              setupRequest: ROTATE_REQUEST,
              pool: scenario.requests,
            } as autocannon.Request,
          ],
        };
  const options: autocannon.Options = {
    ...sending,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    ...(scenario.expect === 'bare'
      ? { expectBody: BARE_BODY }
      : // A path where the types only know functions: workers mode requires the path.
        { verifyBody: VERIFY_SUCCESS as unknown as autocannon.Options['verifyBody'] }),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options, (error, outcome) => (error ? reject(error) : resolve(outcome)));
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyMean: result.latency.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    mismatches: result.mismatches,
  };
}
