import { BARE_BODY } from './bare-app.js';
import type { Expectation, Scenario } from './scenarios.js';

/**
 * Sends the first few requests of a scenario once and throws unless each answer is a real
 * success: a benchmark of error answers measures nothing.
 */
export async function probe(baseUrl: string, scenario: Scenario, samples = 3): Promise<void> {
  for (const request of scenario.requests.slice(0, samples)) {
    const response = await fetch(baseUrl + request.path, {
      method: scenario.method,
      headers: scenario.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const problem = problemWith(scenario.expect, response.status, text);
    if (problem) {
      throw new Error(
        `scenario "${scenario.name}": ${scenario.method} ${request.path} is not a success (${problem}); ` +
          `it answered HTTP ${response.status}: ${text.slice(0, 500)}`,
      );
    }
  }
}

function problemWith(expect: Expectation, status: number, text: string): string | undefined {
  if (status !== 200) return 'status is not 200';
  if (expect === 'bare') return text === BARE_BODY ? undefined : `body is not ${BARE_BODY}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'body is not an object';
  if (expect === 'code1') return (body as { code?: unknown }).code === 1 ? undefined : 'code is not 1';
  const list = (body as { order_list?: unknown }).order_list;
  if (!Array.isArray(list)) return 'no order_list';
  return list.length > 0 ? undefined : 'order_list is empty';
}
