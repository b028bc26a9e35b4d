import { expect, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { createRequest } from '../modules/escrow/escrow-fixtures.js';
import { createInvitation, type Server, startServer } from './server.js';

/**
 * The 已超时 page in a real phone-sized Chromium against a real `fangtong serve` (SQLite): an
 * invitation whose signing deadline passed. The server has no test clock, so time passes on the
 * invitation instead: its creation and deadline are moved 25 hours back in the server's
 * database, as if the page were opened a day after the ISV made it. The page is seen before the
 * deadline job reaches it (the API treats an inviting invitation past its deadline as timed out)
 * and after the server's own job `escrow.close-overdue` has closed it (made due at once).
 */
const ISV = { appKey: 'browser-timeout-isv', secret: 'browser-timeout-secret-0123456789' };
const HOUR = 3_600_000;
const CLOSE_JOB = 'escrow.close-overdue';

let server: Server;
let db: Database.Database;
test.beforeAll(async () => {
  // The job runner polls every second, so a job made due runs within a second or two.
  server = await startServer(ISV, { FANGTONG_JOB_POLL_SECONDS: '1' });
  db = new Database(server.databasePath);
  db.pragma('busy_timeout = 10000');
});
test.afterAll(async () => {
  db?.close();
  await server?.stop();
});

type OrderRow = { id: number; state: string; created_at: number; deadline_at: number };
const orderRow = (no: string) =>
  db
    .prepare('select id, state, created_at, deadline_at from escrow_orders where house_order_no = ?')
    .get(no) as OrderRow;

/** What a party can no longer do on a closed invitation: no code, no accept, no decline. */
async function expectNoDecision(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: '同意并签约' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '拒绝' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '获取验证码' })).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: '验证码' })).toHaveCount(0);
}

async function expectTimedOut(page: Page, deadline: string): Promise<void> {
  await expect(page.getByText('已超时', { exact: true })).toBeVisible();
  await expect(page.getByText('已超过签约截止时间，该邀约已失效，请联系经纪人重新发起。')).toBeVisible();
  await expect(page.getByText(`签约截止：${deadline}（北京时间）`)).toBeVisible();
  await expect(page.getByText('浙江省杭州市西湖区文三路1号')).toBeVisible();
  await expectNoDecision(page);
}

/** Epoch ms as the page writes it: Beijing time, yyyy-MM-dd HH:mm. */
const beijing = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

test('past its signing deadline the page says 已超时 and offers no accept, before and after the deadline job', async ({
  browser,
  request,
}, testInfo) => {
  const invitation = await createInvitation(server, ISV, createRequest(9));
  const no = invitation.house_order_no;
  const made = orderRow(no);
  expect(made.state).toBe('inviting');
  expect(made.deadline_at - made.created_at).toBe(24 * HOUR);

  // Within the deadline the buyer is offered the terms and the accept button.
  const buyer = await browser.newPage();
  await buyer.goto(invitation.buyer_url);
  await expect(buyer.getByRole('button', { name: '同意并签约' })).toBeVisible();
  await buyer.screenshot({ path: testInfo.outputPath('1-before-deadline.png'), fullPage: true });

  // A day and an hour pass for this invitation: its deadline is an hour ago.
  db.prepare(
    'update escrow_orders set created_at = created_at - ?, deadline_at = deadline_at - ? where id = ?',
  ).run(25 * HOUR, 25 * HOUR, made.id);
  const aged = orderRow(no);
  expect(aged.deadline_at).toBeLessThan(Date.now() - 59 * 60_000);
  const deadline = beijing(aged.deadline_at);

  // Before the job reaches it: the row still says inviting, the page already says 已超时.
  expect(aged.state).toBe('inviting');
  await buyer.reload();
  await expectTimedOut(buyer, deadline);
  await buyer.screenshot({ path: testInfo.outputPath('2-timed-out-before-job.png'), fullPage: true });

  // The server's own deadline job, made due now, closes it: state, audit row.
  db.prepare('update jobs set run_at = 0 where name = ?').run(CLOSE_JOB);
  await expect.poll(() => orderRow(no).state, { timeout: 15_000 }).toBe('timed_out');
  const audit = db
    .prepare(
      "select actor, from_state, to_state, reason from audit_log where entity = 'escrow_order' and entity_id = ? and action = 'time_out'",
    )
    .all(no);
  expect(audit).toEqual([
    { actor: 'system', from_state: 'inviting', to_state: 'timed_out', reason: '签约超时24小时' },
  ]);

  // The landlord opens their URL for the first time after the job: 已超时, nothing to decide.
  const landlord = await browser.newPage();
  await landlord.goto(invitation.landlord_url);
  await expectTimedOut(landlord, deadline);
  await landlord.screenshot({ path: testInfo.outputPath('3-timed-out.png'), fullPage: true });
  await buyer.reload();
  await expectTimedOut(buyer, deadline);

  // The API behind the page agrees: the state, and no code is texted for a closed invitation.
  const token = new URL(invitation.landlord_url).pathname.split('/').at(-1)!;
  const view = await (await request.get(`${server.url}/escrow/api/invitations/${token}`)).json();
  expect(view.code).toBe(0);
  expect(view.data.state).toBe('timed_out');
  const sent = await (
    await request.post(`${server.url}/escrow/api/invitations/${token}/send-code`, { data: {} })
  ).json();
  expect(sent).toMatchObject({ code: -1, msg: '邀约已超时，不能再变更' });
});
