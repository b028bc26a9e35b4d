import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { seedParkingDemoIfEmpty } from '../../../src/seed/demo-parking.js';
import type { TestApp } from '../../helpers/test-app.js';

/** A session for `openId` through the sandbox OAuth: the cookie header to send. */
export async function signIn(app: FastifyInstance, openId: string): Promise<{ cookie: string }> {
  const response = await app.inject({
    method: 'GET',
    url: `/parking/oauth/authorize?redirect=${encodeURIComponent('/parking/')}&open_id=${openId}`,
  });
  const token = sessionCookie(response);
  if (!token) throw new Error(`no session for ${openId}: ${response.statusCode} ${response.body}`);
  return { cookie: `fangtong_parking=${token}` };
}

export function sessionCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  const cookie = cookies.find((c) => c.startsWith('fangtong_parking='));
  return cookie?.slice('fangtong_parking='.length).split(';')[0];
}

export function post(app: FastifyInstance, url: string, payload: Record<string, unknown>, headers = {}) {
  return app.inject({ method: 'POST', url: `/parking/api/${url}`, payload, headers });
}

export async function seedParkingDemo(t: TestApp): Promise<void> {
  await seedParkingDemoIfEmpty({ db: t.db.kysely, pii: t.app.runtime.pii, clock: t.clock });
}

/** The newest code texted to `phone`. */
export function codeSentTo(
  sms: { sent: Array<{ phone: string; params: Record<string, string> }> },
  phone: string,
) {
  const code = sms.sent.filter((m) => m.phone === phone).at(-1)?.params.code;
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}
