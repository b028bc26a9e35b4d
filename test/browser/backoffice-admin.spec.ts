import fs from 'node:fs';
import { type Browser, expect, type Page, request, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { confirmPopup } from './popconfirm.js';
import { chooseOption } from './select-option.js';
import { type Server, startServer } from './server.js';
import { setCheckbox } from './set-checkbox.js';
import { settled } from './settled.js';

/**
 * The admin's pages and the loan dashboard in a desktop Chromium (1366×768) against a real
 * `fangtong serve` with the demo: the admin adds a partner (after seeing the server's field
 * errors on the form), retries a callback the platform never took and watches the delivery job
 * send it again, exports the outbox as CSV, and the dashboard draws its charts. Screenshots of
 * each page are saved beside the test's output (dist/browser-test/…) to be looked at.
 */
const ISV = { appKey: 'browser-admin-isv', secret: 'browser-admin-secret-0123456789' };
const PASSWORD = 'demo123';
/** Nothing listens on the discard port: every delivery to it fails at once. */
const UNREACHABLE = 'http://127.0.0.1:9/feedback';
const CSV_HEADER = '编号,合作方标识,接口,参数,状态,尝试次数,下次尝试时间,最后错误,创建时间,送达时间';

let server: Server;
let db: Database.Database;

test.beforeAll(async () => {
  // The job runner polls every second, so a retried callback is sent again within a second or two.
  server = await startServer(ISV, { FANGTONG_JOB_POLL_SECONDS: '1' });
  db = new Database(server.databasePath);
  db.pragma('busy_timeout = 10000');
});

test.afterAll(async () => {
  db?.close();
  await server?.stop();
});

async function logInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill('demo-admin');
  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('demo-admin（管理员）')).toBeVisible();
  // The admin's first menu page, its group opened in the menu (which moves the groups below).
  await expect(page).toHaveURL(/\/dashboard\/loans$/);
  await expect(page.getByRole('menuitem', { name: '贷款看板', exact: true })).toBeVisible();
}

/** A page of a menu group, opening the group first (a group opening above may move it: retried). */
async function openMenu(page: Page, item: string, group = /系统管理/): Promise<void> {
  const entry = page.getByRole('menuitem', { name: item, exact: true });
  // Until the page is the entry's: a click that lands while the menu is still unfolding, or the
  // page behind it is still drawing, does not navigate, and is made again.
  await expect(async () => {
    if (!(await entry.isVisible()))
      await page.getByRole('menuitem', { name: group }).click({ timeout: 2_000 });
    await expect(entry).toBeVisible({ timeout: 2_000 });
    const href = await entry.getByRole('link').getAttribute('href', { timeout: 2_000 });
    await entry.click({ timeout: 2_000 });
    await expect(page).toHaveURL((url) => url.pathname === href, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

test('an admin adds a partner after fixing the fields the server refused, and sees it listed', async ({
  page,
}, testInfo) => {
  await logInAsAdmin(page);
  await openMenu(page, '合作方');
  await expect(page).toHaveURL(/\/admin\/partners$/);

  await page.getByRole('button', { name: '新增合作方' }).click();
  const dialog = await settled(page.getByRole('dialog', { name: '新增合作方' }));
  await dialog.getByLabel('合作方标识').fill('网贷 平台');
  await dialog.getByLabel('签名密钥').fill('short');
  await dialog.getByLabel('回调地址').fill('ftp://example.com/feedback');
  await dialog.getByRole('button', { name: '确定' }).click();
  // Each of the server's errors on the field it names.
  await expect(dialog.getByText('ua须为2-64位字母、数字、点、下划线或连字符')).toBeVisible();
  await expect(dialog.getByText('signkey长度须为16-128个字符')).toBeVisible();
  await expect(dialog.getByText('回调地址须为不带参数的http(s)地址')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('partner-refused.png') });

  await dialog.getByLabel('合作方标识').fill('browser-market');
  await dialog.getByLabel('签名密钥').fill('browser-market-signkey-0123');
  await dialog.getByLabel('回调地址').fill('https://market.example.com/feedback');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'browser-market' });
  await expect(row).toContainText('https://market.example.com/feedback');
  await expect(row).toContainText('全部接口');
  await page.screenshot({ path: testInfo.outputPath('partners.png') });

  await row.getByRole('button', { name: '调用记录' }).click();
  await expect(page.getByText('browser-market 的调用记录')).toBeVisible();
  await expect(page.locator('.ant-drawer .ant-empty')).toBeVisible();
});

test('an admin retries a callback the platform never took; the outbox exports as CSV', async ({
  page,
}, testInfo) => {
  await logInAsAdmin(page);
  const created = await page.request.post(`${server.url}/api/partners`, {
    data: { ua: 'browser-down', signkey: 'browser-down-signkey-0123', calls: '*', callback_url: UNREACHABLE },
  });
  expect((await created.json()).code).toBe(1);
  // A decision's feedback that failed its whole schedule: the delivery job gave it up. The demo
  // has no partner order to decide, so it is put in the outbox as the job leaves it.
  const now = Date.now();
  const { lastInsertRowid } = db
    .prepare(
      `insert into partner_callbacks (ua, call, args, dedupe_key, status, attempts, next_attempt_at, last_error, created_at)
       values ('browser-down', 'PartnerGate.Order.approveFeedback', ?, 'browser-admin-retry', 'dead', 8, ?, ?, ?)`,
    )
    .run(
      JSON.stringify({ order_id: 'browser-order-1', approve_result: 'OK', approve_message: '审核通过' }),
      now,
      'connect ECONNREFUSED 127.0.0.1:9',
      now - 3_600_000,
    );
  const id = Number(lastInsertRowid);
  const attempts = () =>
    (db.prepare('select attempts from partner_callbacks where id = ?').get(id) as { attempts: number })
      .attempts;

  await openMenu(page, '回调发件箱');
  const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'browser-down' });
  await expect(row).toContainText('已放弃');
  await expect(row).toContainText('ECONNREFUSED');
  await page.screenshot({ path: testInfo.outputPath('callbacks.png') });

  await row.getByRole('button', { name: '重试' }).click();
  await expect(page.getByText(`重试回调 ${id}？`)).toBeVisible();
  await confirmPopup(page, '重试');
  await expect(page.getByText(`回调 ${id} 已重新排队，10秒内重试`)).toBeVisible();
  // The job sent it again (to nowhere): one more attempt, and a dead one stays dead.
  await expect.poll(attempts, { timeout: 15_000 }).toBe(9);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(row.locator('td').nth(5)).toHaveText('9');
  await expect(row).toContainText('已放弃');

  // The export takes the list's filter: only the given-up callbacks.
  await chooseOption(page, page.getByLabel('状态'), '已放弃');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/status=dead/);
  const exportLink = page.getByRole('link', { name: /导出CSV/ });
  await expect(exportLink).toHaveAttribute('href', '/api/partner-callbacks/export.csv?status=dead');
  const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
  expect(download.suggestedFilename()).toBe('合作方回调.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  const [header, ...rows] = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(header).toBe(CSV_HEADER);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(new RegExp(`^${id},browser-down,PartnerGate.Order.approveFeedback,.*,已放弃,9,`));
});

test('an admin creates an account with roles, adds to the blacklist, and reads the rules and messages', async ({
  page,
}, testInfo) => {
  await logInAsAdmin(page);
  await openMenu(page, '员工账号');
  await page.getByRole('button', { name: '新建账号' }).click();
  const dialog = await settled(page.getByRole('dialog', { name: '新建账号' }));
  await dialog.getByLabel('用户名').fill('demo-kefu');
  await dialog.getByLabel('密码').fill('browser-secret-1');
  await setCheckbox(dialog.getByLabel('权证'), true);
  await setCheckbox(dialog.getByLabel('审查'), true);
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.locator('.ant-form-item-explain-error')).toHaveText(['用户名已存在']);
  await page.screenshot({ path: testInfo.outputPath('staff-refused.png') });
  await dialog.getByLabel('用户名').fill('browser-clerk');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog).toBeHidden();
  const account = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'browser-clerk' });
  await expect(account).toContainText('权证');
  await expect(account).toContainText('审查');
  await expect(account).toContainText('正常');
  await page.screenshot({ path: testInfo.outputPath('staff.png') });

  await openMenu(page, '黑名单');
  await page.getByRole('button', { name: '加入黑名单' }).click();
  const blacklist = await settled(page.getByRole('dialog', { name: '加入黑名单' }));
  await blacklist.getByLabel('身份证号').fill('123');
  await blacklist.getByLabel('原因').fill('伪造材料');
  await blacklist.getByRole('button', { name: '确定' }).click();
  await expect(blacklist.locator('.ant-form-item-explain-error')).toHaveText(['身份证号格式不正确']);
  await blacklist.getByLabel('身份证号').fill('110101199003077715');
  await blacklist.getByRole('button', { name: '确定' }).click();
  await expect(blacklist).toBeHidden();
  const entry = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '伪造材料' });
  await expect(entry).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('blacklist.png') });

  // The whole blacklist as CSV: why and when, never who (the entries are hashes).
  const blacklistExport = page.getByRole('link', { name: /导出CSV/ });
  await expect(blacklistExport).toHaveAttribute('href', '/api/partner-blacklist/export.csv');
  const [blacklistCsv] = await Promise.all([page.waitForEvent('download'), blacklistExport.click()]);
  expect(blacklistCsv.suggestedFilename()).toBe('黑名单.csv');
  const [blacklistHeader, ...blacklistRows] = fs
    .readFileSync(await blacklistCsv.path(), 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(blacklistHeader).toBe('编号,原因,加入时间');
  expect(blacklistRows.some((row) => /^\d+,伪造材料,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(row))).toBe(
    true,
  );
  expect(blacklistRows.join('\n')).not.toContain('110101199003077715');

  // Removing the entry asks first; once confirmed it leaves the list.
  await entry.getByRole('button', { name: '移出' }).click();
  const confirm = page.locator('.ant-popover', { hasText: '移出黑名单？' });
  await expect(confirm).toContainText('此人下次申请将按准入规则正常审核');
  await page.screenshot({ path: testInfo.outputPath('blacklist-remove.png') });
  await confirm.getByRole('button', { name: '移出' }).click();
  await expect(page.getByText(/已将记录 \d+ 移出黑名单/)).toBeVisible();
  await expect(entry).toHaveCount(0);

  await openMenu(page, '准入规则');
  await expect(page.getByText('准入产品')).toBeVisible();
  await expect(page.getByText('3,000,000.00 元')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('partner-rules.png') });

  await openMenu(page, '短信记录');
  await expect(page.locator('.ant-pro-table-list-toolbar-title', { hasText: '短信记录' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('sms.png') });
});

/** A fresh browser logs in as `username`; answers its page, on the landing page or the refusal. */
async function logInAs(browser: Browser, username: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

test("an admin changes an account's roles and disables another; neither may be done to themselves", async ({
  page,
  browser,
}, testInfo) => {
  await logInAsAdmin(page);
  for (const username of ['browser-mover', 'browser-leaver']) {
    const created = await page.request.post(`${server.url}/api/staff`, {
      data: { username, password: 'browser-secret-2', display_name: username, roles: ['kefu'] },
    });
    expect((await created.json()).code).toBe(1);
  }
  // The mover logged in before the change: the change ends that session.
  const before = await logInAs(browser, 'browser-mover', 'browser-secret-2');
  await expect(before.getByText('browser-mover（客服）')).toBeVisible();

  await openMenu(page, '员工账号');
  const row = (name: string) => page.locator('.ant-table-tbody tr.ant-table-row', { hasText: name });
  await row('browser-mover').getByRole('button', { name: '编辑' }).click();
  const dialog = await settled(page.getByRole('dialog', { name: '编辑账号' }));
  await expect(dialog.getByLabel('客服')).toBeChecked();
  await dialog.getByLabel('显示名').fill('调岗的员工');
  await setCheckbox(dialog.getByLabel('客服'), false);
  await setCheckbox(dialog.getByLabel('权证'), true);
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog).toBeHidden();
  await expect(row('browser-mover')).toContainText('调岗的员工');
  await expect(row('browser-mover').locator('.ant-tag').first()).toHaveText('权证');
  await expect(row('browser-mover')).not.toContainText('客服');

  // The admin's own admin role and account: the server refuses, said where the admin acted.
  await row('demo-admin').getByRole('button', { name: '编辑' }).click();
  const own = await settled(page.getByRole('dialog', { name: '编辑账号' }));
  await expect(own.getByLabel('管理员')).toBeChecked();
  await setCheckbox(own.getByLabel('客服'), true);
  await setCheckbox(own.getByLabel('管理员'), false);
  await own.getByRole('button', { name: '确定' }).click();
  await expect(own.locator('.ant-form-item-explain-error')).toHaveText(['不能取消自己的管理员角色']);
  await page.screenshot({ path: testInfo.outputPath('staff-own-role-refused.png'), animations: 'disabled' });
  await own.getByRole('button', { name: '取消' }).click();
  await expect(own).toBeHidden();
  await row('demo-admin').getByRole('button', { name: '停用' }).click();
  await confirmPopup(page, '停用');
  await expect(row('demo-admin').getByRole('alert')).toHaveText('不能停用自己的账号');
  await expect(row('demo-admin')).toContainText('正常');
  await page.screenshot({
    path: testInfo.outputPath('staff-own-disable-refused.png'),
    animations: 'disabled',
  });

  await row('browser-leaver').getByRole('button', { name: '停用' }).click();
  await expect(page.getByText('停用账号 browser-leaver？')).toBeVisible();
  await confirmPopup(page, '停用');
  await expect(row('browser-leaver')).toContainText('已停用');
  await expect(row('browser-leaver').getByRole('button', { name: '启用' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('staff-edited.png'), animations: 'disabled' });

  // The change of roles ended the session the mover had; logging in again, the new desk is theirs.
  await before.reload();
  await expect(before).toHaveURL(/\/login/);
  const mover = await logInAs(browser, 'browser-mover', 'browser-secret-2');
  await expect(mover.getByText('调岗的员工（权证）')).toBeVisible();
  await expect(mover.getByRole('menuitem', { name: '权证工作台', exact: true })).toBeVisible();
  await expect(mover.getByRole('menuitem', { name: '客服工作台', exact: true })).toHaveCount(0);
  await mover.screenshot({ path: testInfo.outputPath('staff-new-desk.png') });

  const leaver = await logInAs(browser, 'browser-leaver', 'browser-secret-2');
  await expect(leaver.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(leaver).toHaveURL(/\/login/);
  await leaver.screenshot({ path: testInfo.outputPath('staff-disabled-login.png') });
  for (const p of [before, mover, leaver]) await p.context().close();
});

test('an admin changes an admission rule after the server refused a field, and sees it saved', async ({
  page,
}, testInfo) => {
  await logInAsAdmin(page);
  await openMenu(page, '准入规则');
  await expect(page.getByText('22–60 岁')).toBeVisible();
  const form = page.locator('form');
  await form.getByLabel('最小年龄').fill('25');
  await form.getByLabel('最小额度').fill('4000000');
  await page.getByRole('button', { name: '保存规则' }).click();
  const confirm = await settled(page.getByRole('dialog').filter({ hasText: '保存准入规则？' }));
  await confirm.getByRole('button', { name: '保存' }).click();
  await expect(form.locator('.ant-form-item-explain-error')).toHaveText(['最小额度不能大于最大额度']);
  // Nothing was saved.
  await expect(page.getByText('22–60 岁')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('partner-rules-refused.png'), animations: 'disabled' });

  await form.getByLabel('最小额度').fill('200000');
  await page.getByRole('button', { name: '保存规则' }).click();
  await confirm.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('准入规则已保存')).toBeVisible();
  await expect(page.getByText('25–60 岁')).toBeVisible();
  await expect(page.getByText('200,000.00 元')).toBeVisible();
  await page.reload();
  await expect(page.getByText('25–60 岁')).toBeVisible();
  await expect(form.getByLabel('最小年龄')).toHaveValue('25');
  await page.screenshot({ path: testInfo.outputPath('partner-rules-saved.png'), animations: 'disabled' });
});

/** A clerk's move through the API, as their desk makes it. */
async function move(stage: string, sonOrderId: string, action: 'pass' | 'return_kefu', reason: string) {
  const clerk = await request.newContext({ baseURL: server.url });
  const login = await clerk.post('/api/auth/login', {
    data: { username: `demo-${stage}`, password: PASSWORD },
  });
  expect((await login.json()).code).toBe(1);
  const moved = await clerk.post(`/api/loan-orders/${sonOrderId}/${action}`, { data: { reason } });
  expect((await moved.json()).code).toBe(1);
  await clerk.dispose();
}

test('the loan dashboard draws its charts for the days picked', async ({ page }, testInfo) => {
  // The demo's orders were loaded, not moved, so they have no decisions or stays yet: the newest
  // order at 面签 is passed, then returned to 客服 by 权证 (a decision at each, a stay at 权证).
  const { son_order_id: order } = db
    .prepare(
      "select son_order_id from loan_orders where stage = 'mianqian' and state = 'open' order by created_at desc limit 1",
    )
    .get() as { son_order_id: string };
  await move('mianqian', order, 'pass', '材料齐全');
  await move('quanzheng', order, 'return_kefu', '产权证明不清晰');

  await logInAsAdmin(page);
  await expect(page.getByText('订单总数')).toBeVisible();
  for (const title of [
    '各环节订单（现在所在环节）',
    '各环节各城市订单',
    '各环节驳回率',
    '各环节停留时长（小时）',
  ])
    await expect(page.getByText(title)).toBeVisible();
  await expect(page.locator('.ant-card canvas')).toHaveCount(4);
  await expect(page.getByText('无决定：客服、面审、审查、终审')).toBeVisible();
  // One return in the two decisions taken.
  await expect(page.locator('.ant-statistic', { hasText: '驳回率（全部环节）' })).toContainText('50.0%');
  await expect(page.getByText('北京市').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });

  // A range of Beijing days goes out as the route's from/to.
  const asked = page.waitForRequest(/\/api\/stats\/loan-orders\?/);
  await page.getByPlaceholder('开始日期').click();
  await page.getByPlaceholder('开始日期').fill('2026-01-01');
  await page.getByPlaceholder('结束日期').fill('2026-01-31');
  await page.getByPlaceholder('结束日期').press('Enter');
  const query = new URL((await asked).url()).searchParams;
  expect(Number(query.get('from'))).toBe(Date.UTC(2025, 11, 31, 16));
  expect(Number(query.get('to'))).toBe(Date.UTC(2026, 0, 31, 16));
});

test('a stage clerk sees the dashboard but no admin page', async ({ page }) => {
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill('demo-shencha');
  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('demo-shencha（审查）')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /系统管理/ })).toHaveCount(0);
  // Their desk first, its group opened in the menu (which moves the groups below).
  await expect(page.getByRole('menuitem', { name: '审查工作台', exact: true })).toBeVisible();
  await openMenu(page, '贷款看板', /数据看板/);
  // The desk's table may leave its paging in the address.
  await expect(page).toHaveURL(/\/dashboard\/loans(\?|$)/);
  await expect(page.getByText('订单总数')).toBeVisible();
  await page.goto(`${server.url}/admin/callbacks`);
  await expect(page.getByText('无权访问')).toBeVisible();
});
