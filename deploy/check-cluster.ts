/**
 * Checks a running cluster (deploy/local-cluster.sh starts one) through its nginx:
 *
 *   node --import tsx deploy/check-cluster.ts --nginx http://127.0.0.1:8080 \
 *     --nginx-log /tmp/…/nginx-fangtong.access.log \
 *     --server a:<pid>:<port>:<log file> --server b:<pid>:<port>:<log file>
 *
 * DATABASE_URL and FANGTONG_PII_KEY come from the environment the servers were given. One line
 * per check, then `N passed, N failed`; the exit code is 1 when any check failed. The last check
 * kills the last --server with SIGKILL, so the cluster is not whole afterwards.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { partnerSign, signaturesEqual } from '../src/core/signing.js';
import { openDatabase } from '../src/database.js';
import { createPartner } from '../src/modules/partner/index.js';
import { createStaff } from '../src/modules/staff/index.js';
import { createPii, loadPiiKey } from '../src/platform/pii.js';

interface Server {
  name: string;
  pid: number;
  port: number;
  log: string;
}

interface Answer {
  status: number;
  requestId: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: five envelopes, read field by field below
  body: any;
}

const { values } = parseArgs({
  options: {
    nginx: { type: 'string' },
    'nginx-log': { type: 'string' },
    server: { type: 'string', multiple: true },
  },
});
const nginx = values.nginx;
const nginxLog = values['nginx-log'];
const servers: Server[] = (values.server ?? []).map((text) => {
  const [name, pid, port, ...log] = text.split(':');
  return { name: name ?? '', pid: Number(pid), port: Number(port), log: log.join(':') };
});
if (
  !nginx ||
  !nginxLog ||
  servers.length !== 2 ||
  servers.some((s) => !s.name || !s.pid || !s.port || !s.log)
) {
  console.error('usage: check-cluster.ts --nginx URL --nginx-log FILE --server name:pid:port:log (twice)');
  process.exit(2);
}
const [survivor, victim] = servers as [Server, Server];

const config = loadConfig();
const db = openDatabase(config.databaseUrl);
const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
// Request ids of this run, so lines of an earlier run in the same logs cannot count.
const run = randomBytes(4).toString('hex');

async function call(
  path: string,
  options: { body?: Record<string, unknown>; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(nginx + path, {
    method: options.body ? 'POST' : 'GET',
    headers: {
      ...(options.body ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // nginx's own error pages (502) are HTML; kept as text.
  }
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

/** Which app servers logged a request id; waits a little, as a log line may reach the file late. */
async function serversThatLogged(requestId: string): Promise<Server[]> {
  const logged = () =>
    servers.filter((s) => fs.readFileSync(s.log, 'utf8').includes(`"reqId":"${requestId}"`));
  for (let i = 0; i < 30 && logged().length === 0; i++) await sleep(100);
  return logged();
}

/**
 * Request id → the address nginx finally got its answer from (after a retry, the last one tried),
 * for the ids asked. nginx writes a request's log line after the client has its answer, so a line
 * can be missing for a moment; waits up to 3 s for every id to appear.
 */
async function upstreamsInNginxLog(ids: string[]): Promise<Map<string, string>> {
  const read = () => {
    const found = new Map<string, string>();
    for (const line of fs.readFileSync(nginxLog!, 'utf8').split('\n')) {
      const match = / upstream=(.*?) ustatus=.* rid=(\S+)$/.exec(line);
      if (match) found.set(match[2]!, match[1]!.split(', ').at(-1)!);
    }
    return found;
  };
  let found = read();
  for (let i = 0; i < 30 && ids.some((id) => !found.has(id)); i++) {
    await sleep(100);
    found = read();
  }
  return found;
}

const serverAt = (address: string | undefined) => servers.find((s) => address === `127.0.0.1:${s.port}`);

function tally(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item}: ${n}`).join(', ') || 'none';
}

class CheckFailed extends Error {}
function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

let passed = 0;
let failed = 0;
async function check(name: string, body: () => Promise<string>): Promise<void> {
  try {
    const detail = await body();
    passed++;
    console.log(`ok   ${name}: ${detail}`);
  } catch (error) {
    failed++;
    const why = error instanceof CheckFailed ? error.message : String((error as Error)?.stack ?? error);
    console.log(`FAIL ${name}: ${why}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    expect(Date.now() < deadline, `timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

// The back-office account every check works as, made through the staff module like `fangtong staff add`.
const kefu = { username: `cluster-kefu-${run}`, password: randomBytes(12).toString('hex') };
await createStaff(db.kysely, { ...kefu, roles: ['kefu'] }, Date.now(), 'check-cluster');
let token = '';

await check('health through nginx', async () => {
  const health = await call('/healthz');
  expect(health.status === 200, `HTTP ${health.status}`);
  expect(health.body.status === 'ok' && health.body.database === 'postgres', JSON.stringify(health.body));
  const jobs: string[] = health.body.jobs.map((job: { name: string }) => job.name);
  expect(jobs.includes('partner.deliver-callbacks'), `jobs: ${jobs.join(', ')}`);
  // No id was sent, so nginx made one ($request_id) and the app answered under it.
  expect(/^[0-9a-f]{32}$/.test(health.requestId ?? ''), `x-request-id ${health.requestId}`);
  expect(
    (await serversThatLogged(health.requestId!)).length === 1,
    `id ${health.requestId} not in one server's log`,
  );
  return `postgres, ${jobs.length} jobs listed, nginx's request id ${health.requestId} reached the app`;
});

await check('sessions shared', async () => {
  const login = await call('/api/auth/login', { body: kefu });
  expect(login.status === 200 && login.body.code === 1, `login: ${JSON.stringify(login.body)}`);
  token = login.body.data.token;
  const ids = Array.from({ length: 12 }, (_, i) => `cluster-session-${run}-${i}`);
  const answers: Answer[] = [];
  for (const id of ids) answers.push(await call('/api/auth/me', { token, headers: { 'x-request-id': id } }));
  const good = answers.filter(
    (a) => a.status === 200 && a.body.code === 1 && a.body.data.username === kefu.username,
  );
  expect(good.length === ids.length, `${good.length}/${ids.length} answered 200 as ${kefu.username}`);
  expect(
    answers.every((a, i) => a.requestId === ids[i]),
    'a request id was not passed through',
  );
  const upstreams = await upstreamsInNginxLog(ids);
  const servedBy: string[] = [];
  for (const id of ids) {
    const logged = await serversThatLogged(id);
    expect(logged.length === 1, `${id} logged by ${logged.length} servers`);
    expect(serverAt(upstreams.get(id)) === logged[0], `${id}: nginx says ${upstreams.get(id)}`);
    servedBy.push(logged[0]!.name);
  }
  expect(new Set(servedBy).size === servers.length, `served by ${tally(servedBy)}`);
  return `one login, ${good.length}/${ids.length} requests answered 200 as ${kefu.username} (server ${tally(servedBy)})`;
});

await check('rate limits shared', async () => {
  const mobile = '13700000031';
  const phoneHash = pii.blindIndex(mobile, 'mobile');
  const ids = Array.from({ length: 10 }, (_, i) => `cluster-sms-${run}-${i}`);
  const answers = await Promise.all(
    ids.map((id) => call('/user_auth/send_code', { body: { mobile }, headers: { 'x-request-id': id } })),
  );
  const accepted = answers.filter((a) => a.status === 200 && a.body.code === 0).length;
  const limited = answers.filter((a) => a.status === 429 && a.body.code === -1).length;
  expect(
    accepted === 1 && limited === 9,
    `accepted ${accepted}, limited ${limited}: ${JSON.stringify(answers.map((a) => a.body))}`,
  );
  const rows = await db.kysely
    .selectFrom('sms_codes')
    .select('ip')
    .where('phone_hash', '=', phoneHash)
    .execute();
  expect(rows.length === 1, `${rows.length} codes recorded for the phone`);
  const servedBy: string[] = [];
  for (const id of ids) servedBy.push((await serversThatLogged(id))[0]?.name ?? '?');
  expect(new Set(servedBy).size === servers.length, `the burst reached only server ${tally(servedBy)}`);

  const forged = await call('/user_auth/send_code', {
    body: { mobile: '13700000032' },
    headers: { 'x-forwarded-for': '203.0.113.9' },
  });
  expect(forged.status === 200 && forged.body.code === 0, `forged send: ${JSON.stringify(forged.body)}`);
  const recorded = await db.kysely
    .selectFrom('sms_codes')
    .select('ip')
    .where('phone_hash', '=', pii.blindIndex('13700000032', 'mobile'))
    .executeTakeFirstOrThrow();
  expect(
    recorded.ip === '127.0.0.1',
    `the send with X-Forwarded-For: 203.0.113.9 was recorded as ${recorded.ip}`,
  );
  const believed = await db.kysely
    .selectFrom('sms_codes')
    .select('id')
    .where('ip', '=', '203.0.113.9')
    .execute();
  expect(believed.length === 0, 'an address a client sent was recorded');
  return `10 concurrent sends (server ${tally(servedBy)}): 1 accepted, 9 refused 429; X-Forwarded-For: 203.0.113.9 recorded as ${recorded.ip}`;
});

await check('every job runs once across both servers', async () => {
  const ua = `cluster-platform-${run}`;
  const key = randomBytes(16).toString('hex');
  const received: Array<{ call: string; args: Record<string, unknown>; signed: boolean }> = [];
  // The partner platform, which our partner.deliver-callbacks job calls back.
  const platform = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      raw += chunk;
    });
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const signed = signaturesEqual(
        partnerSign(form.ua ?? '', key, form.call ?? '', form.args ?? ''),
        form.sign ?? '',
      );
      received.push({ call: form.call ?? '', args: JSON.parse(form.args ?? '{}'), signed });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 1, message: 'success', response: null }));
    });
  });
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  try {
    await createPartner(
      { db: db.kysely, pii },
      {
        ua,
        signkey: key,
        calls: '*',
        callbackUrl: `http://127.0.0.1:${(platform.address() as AddressInfo).port}/callback`,
      },
      Date.now(),
      'check-cluster',
    );
    const partnerOrderId = randomBytes(12).toString('hex');
    const created = await call('/api/loan-orders', {
      token,
      body: {
        order_type: 1,
        city: '北京市',
        appointment_time: '2030-06-02 10:00',
        customer_name: '刘先森',
        partner_ua: ua,
        partner_order_id: partnerOrderId,
      },
    });
    expect(created.body.code === 1, `create: ${JSON.stringify(created.body)}`);
    const stopped = await call(`/api/loan-orders/${created.body.data.son_order_id}/stop`, {
      token,
      body: { reason: '资料不实' },
    });
    expect(stopped.body.code === 1, `stop: ${JSON.stringify(stopped.body)}`);
    const lastRun = async () =>
      (
        await db.kysely
          .selectFrom('jobs')
          .select('last_run_at')
          .where('name', '=', 'partner.deliver-callbacks')
          .executeTakeFirstOrThrow()
      ).last_run_at;
    // Made due three times: once for the callback, twice more to see nobody sends it again.
    for (let round = 0; round < 3; round++) {
      const before = await lastRun();
      await db.kysely
        .updateTable('jobs')
        .set({ run_at: 0 })
        .where('name', '=', 'partner.deliver-callbacks')
        .execute();
      await until('the job to run', 15_000, async () => ((await lastRun()) !== before ? true : undefined));
    }
    // Both servers poll every 0.2 s; a second delivery would have had ten chances by now.
    await sleep(2_000);
    expect(
      received.length === 1,
      `the platform received ${received.length} calls: ${JSON.stringify(received)}`,
    );
    const [feedback] = received;
    expect(
      feedback?.call === 'PartnerGate.Order.approveFeedback' &&
        feedback.signed &&
        feedback.args.order_id === partnerOrderId &&
        feedback.args.approve_result === 'REFUSE',
      JSON.stringify(feedback),
    );
    return 'order stopped, job made due 3 times on 2 polling servers: 1 signed approveFeedback (REFUSE) received';
  } finally {
    platform.close();
  }
});

await check(`kill -9 of server ${victim.name} mid-load loses no acknowledged write`, async () => {
  const total = 200;
  const concurrency = 8;
  const killAfter = Math.floor(total / 3);
  const rowsBefore = await countOrders();
  const acknowledged: string[] = [];
  const failures: string[] = [];
  // Request ids of writes sent after the kill and acknowledged: the survivor's work alone.
  const acknowledgedAfterKill: string[] = [];
  let next = 0;
  let finished = 0;
  let killedAt: number | undefined;
  const deadline = Date.now() + 120_000;

  async function worker(): Promise<void> {
    while (next < total && Date.now() < deadline) {
      const i = next++;
      const id = `cluster-load-${run}-${i}`;
      const sentAfterKill = killedAt !== undefined;
      try {
        const answer = await call('/api/loan-orders', {
          token,
          headers: { 'x-request-id': id },
          body: {
            order_type: 1,
            city: '上海市',
            appointment_time: '2030-06-02 10:00',
            customer_name: `负载${i}`,
          },
        });
        if (answer.status >= 200 && answer.status < 300 && answer.body.code === 1) {
          acknowledged.push(answer.body.data.son_order_id);
          if (sentAfterKill) acknowledgedAfterKill.push(id);
        } else {
          failures.push(
            `HTTP ${answer.status}${answer.body?.code !== undefined ? ` code ${answer.body.code}` : ''}`,
          );
        }
      } catch (error) {
        failures.push((error as Error).name);
      }
      if (++finished === killAfter) {
        process.kill(victim.pid, 'SIGKILL');
        killedAt = finished;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  expect(killedAt !== undefined, `the load ended after ${finished} writes, before the kill`);

  const found = new Set<string>();
  for (let i = 0; i < acknowledged.length; i += 100) {
    const rows = await db.kysely
      .selectFrom('loan_orders')
      .select('son_order_id')
      .where('son_order_id', 'in', acknowledged.slice(i, i + 100))
      .execute();
    for (const row of rows) found.add(row.son_order_id);
  }
  const missing = acknowledged.filter((id) => !found.has(id));
  const written = (await countOrders()) - rowsBefore;
  const upstreams = await upstreamsInNginxLog(acknowledgedAfterKill);
  const afterKill = acknowledgedAfterKill.map((id) => serverAt(upstreams.get(id))?.name ?? '?');
  const victimAnswers = await fetch(`http://127.0.0.1:${victim.port}/healthz`).then(
    () => true,
    () => false,
  );
  const report =
    `${total} writes, concurrency ${concurrency}, kill after ${killedAt}: acknowledged ${acknowledged.length}, ` +
    `failed ${failures.length} (${tally(failures)}), found ${found.size}/${acknowledged.length}, ` +
    `rows written ${written}; acknowledged after the kill by server ${tally(afterKill)}`;
  expect(finished === total, `only ${finished} of ${total} writes finished in time; ${report}`);
  expect(missing.length === 0, `acknowledged but missing: ${missing.join(', ')}; ${report}`);
  expect(written >= acknowledged.length, `fewer rows than acknowledgements; ${report}`);
  expect(!victimAnswers, `server ${victim.name} still answers on its port; ${report}`);
  expect(
    afterKill.length > 0 && afterKill.every((name) => name === survivor.name),
    `after the kill, writes were acknowledged by others than server ${survivor.name}; ${report}`,
  );
  const me = await call('/api/auth/me', { token });
  expect(me.status === 200 && me.body.data?.username === kefu.username, `after the load: HTTP ${me.status}`);
  return report;
});

async function countOrders(): Promise<number> {
  const row = await db.kysely
    .selectFrom('loan_orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

await db.close();
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
