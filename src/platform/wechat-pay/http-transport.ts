import http from 'node:http';
import https from 'node:https';
import type { V2Transport } from './v2-gateway.js';

/**
 * The merchant's API client certificate (apiclient_cert.p12, or apiclient_cert.pem with
 * apiclient_key.pem), which WeChat asks for in mutual TLS on the v2 calls that move money out:
 * `secapi/pay/refund`, `mmpaysptrans/pay_bank` and `query_bank`, `risk/getpublickey`.
 */
export type ClientCertificate =
  | { readonly pfx: Buffer; readonly passphrase: string }
  | { readonly cert: Buffer; readonly key: Buffer };

export interface TransportTls {
  /** Presented to the server when it asks for one; every request of this transport carries it. */
  clientCertificate?: ClientCertificate | undefined;
  /** Certificate authorities trusted instead of Node's list (a private sandbox's own). */
  ca?: Buffer | undefined;
}

/**
 * Production transport: one POST of the XML to a path of the WeChat Pay API, bounded in time
 * (connecting, TLS and the whole answer), through node's https so the TLS session can carry the
 * merchant's client certificate. Plain http only for a sandbox on a loopback address.
 */
export function httpTransport(baseUrl: string, timeoutMs = 10_000, tls: TransportTls = {}): V2Transport {
  const secure = new URL(baseUrl).protocol === 'https:';
  const agent = secure
    ? new https.Agent({
        ...(tls.clientCertificate ?? {}),
        ...(tls.ca ? { ca: tls.ca } : {}),
      })
    : new http.Agent();
  return (path, xml) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(path, baseUrl);
      const body = Buffer.from(xml, 'utf8');
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': body.length },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
          response.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        },
      );
      const timer = setTimeout(
        () => request.destroy(new Error(`${url.host} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
}
