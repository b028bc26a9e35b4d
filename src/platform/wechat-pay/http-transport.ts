import type { V2Transport } from './v2-gateway.js';

/** Production transport: HTTPS to the WeChat Pay API, bounded in time. */
export function httpTransport(baseUrl: string, timeoutMs = 10_000): V2Transport {
  return async (path, xml) => {
    const response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: xml,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.text();
  };
}
