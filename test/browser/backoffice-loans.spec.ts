import { expect, type Locator, type Page, test } from '@playwright/test';
import { chooseOption } from './select-option.js';
import { type Server, startServer } from './server.js';
import { settled } from './settled.js';

/**
 * The loan stages in a desktop Chromium (1366×768) against a real `fangtong serve` with the demo,
 * as staff work them: 客服 opens an order (its refused fields shown on the form) and passes it,
 * 面审 returns it, 客服 finds it marked 驳回 and passes it again, and 面审 stops it for cause;
 * the 面签 clerk finds the spec's order by the borrower's mobile, sees a bad amount refused on
 * its field, fixes it and passes the order, and 权证, 审查 and 终审 each log in, find it on their
 * desk by the same mobile, see the whole order (borrower, spouse, loan) and pass it, the audit
 * trail naming the clerk of every step; a clerk cannot reach another stage's desk. Screenshots of
 * the desks, the order page and the timeline are saved beside the test's output
 * (dist/browser-test/…) to be looked at.
 */
const ISV = { appKey: 'browser-loans-isv', secret: 'browser-loans-secret-0123456789abc' };
const PASSWORD = 'demo123';
const ORDER = '1602261137470';
const BORROWER_MOBILE = '13800138000';

let server: Server;

test.beforeAll(async () => {
  server = await startServer(ISV);
});

test.afterAll(async () => {
  await server?.stop();
});

async function logInAs(page: Page, role: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill(`demo-${role}`);
  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(`demo-${role}（`)).toBeVisible();
}

/** The form item labelled `label` (its input, select or radios and its error messages). */
function formItem(scope: Page | Locator, label: string): Locator {
  // `has` is matched inside each form item, so it starts from the page, not from `scope`.
  const page = 'page' in scope ? scope.page() : scope;
  return scope.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) });
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await chooseOption(page, formItem(page, label).locator('.ant-select'), option);
}

/** Confirms a move in its dialog, with a reason. */
async function move(page: Page, action: '通过' | '返回客服' | '终止', reason: string, badRecord = false) {
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = await settled(page.getByRole('dialog'));
  await expect(dialog).toContainText(`确认${action}订单`);
  await dialog.locator('textarea').fill(reason);
  if (badRecord) await dialog.getByText('记为不良记录').click();
  await dialog.getByRole('button', { name: `确认${action}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`订单已${action}`)).toBeVisible();
}

/** The innermost card titled `title` (the page's outer card holds them all). */
const card = (page: Page, title: string) =>
  page
    .locator('.ant-pro-card')
    .filter({ has: page.locator('.ant-pro-card-title', { hasText: new RegExp(`^${title}$`) }) })
    .last();

const timeline = (page: Page) => page.getByTestId('audit-entry');

/** Every desk after 客服 has the 面签 list's filters: the order is found by its borrower's mobile. */
async function openFromDesk(page: Page, stage: string, order: string, mobile: string): Promise<void> {
  await page.goto(`${server.url}/${stage}/orders`);
  await page.getByLabel('客户电话').fill(mobile);
  await page.getByRole('button', { name: '查询' }).click();
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('共 1 单，其中驳回 0 单')).toBeVisible();
  await rows.first().getByRole('link', { name: order }).click();
  await expect(page).toHaveURL(new RegExp(`/${stage}/orders/${order}$`));
}

test('客服 opens an order after a refused field; 面审 returns it, 客服 sees it marked 驳回, and 面审 stops it for cause', async ({
  page,
}, testInfo) => {
  await logInAs(page, 'kefu');
  await expect(page).toHaveURL(/\/kefu\/orders$/);
  await expect(page.getByText(/共 \d+ 单/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('desk-kefu.png') });

  await page.getByRole('button', { name: '新建订单' }).click();
  await expect(page).toHaveURL(/\/kefu\/orders\/new$/);
  await choose(page, '城市', '北京市');
  await page.getByPlaceholder('请选择时间').fill('2026-12-01 10:00');
  await page.getByRole('button', { name: '确定' }).click();
  await formItem(page, '客户姓名').locator('input').fill('王小二');
  await formItem(page, '中介姓名').locator('input').fill('赵经纪');
  await formItem(page, '中介电话').locator('input').fill('1391111');
  await page.getByRole('button', { name: '创建订单' }).click();
  await expect(formItem(page, '中介电话')).toContainText('中介电话不是有效的手机号码');
  await page.screenshot({ path: testInfo.outputPath('new-order-refused.png') });

  await formItem(page, '中介电话').locator('input').fill('13912345678');
  await page.getByRole('button', { name: '创建订单' }).click();
  await expect(page).toHaveURL(/\/kefu\/orders\/\d{13}$/);
  const created = page.url().split('/').pop() ?? '';
  await expect(page.getByText('当前：客服')).toBeVisible();
  await expect(card(page, '借款人')).toContainText('王小二');
  await expect(timeline(page)).toHaveCount(1);
  await expect(timeline(page).first()).toContainText('开单');
  await expect(timeline(page).first()).toContainText('demo-kefu（本人）');

  await move(page, '通过', '客户资料已核实');
  await expect(page.getByText('当前：面审')).toBeVisible();
  await expect(timeline(page).last()).toContainText('客服 → 面审');

  // The newest order is at the top of the 面审 desk; 面审 returns it, and 客服 sees it marked 驳回.
  await logInAs(page, 'mianshen');
  await expect(page).toHaveURL(/\/mianshen\/orders$/);
  await page.getByRole('link', { name: created }).click();
  await move(page, '返回客服', '缺少收入证明');
  await expect(page.getByText('当前：客服（面审驳回）')).toBeVisible();
  await expect(timeline(page).last()).toContainText('面审 → 客服（面审驳回）');

  await logInAs(page, 'kefu');
  const returned = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: created });
  await expect(returned.getByText('驳回', { exact: true })).toBeVisible();
  // Which stage sent it back, and when it was opened (Beijing time).
  await expect(returned.getByText('由面审驳回', { exact: true })).toBeVisible();
  await expect(returned).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  await expect(returned).toHaveClass(/desk-row-bohui/);
  await page.screenshot({ path: testInfo.outputPath('desk-kefu-bohui.png') });
  await returned.getByRole('link', { name: created }).click();
  await expect(timeline(page).last()).toContainText('操作人：demo-mianshen');
  await expect(timeline(page).last()).toContainText('原因：缺少收入证明');
  // 客服 has no 客服 to return the order to.
  await expect(page.getByRole('button', { name: '返回客服' })).toHaveCount(0);
  await move(page, '通过', '已补充收入证明');
  await expect(page.getByText('当前：面审')).toBeVisible();

  await logInAs(page, 'mianshen');
  await page.getByRole('link', { name: created }).click();
  await move(page, '终止', '房产存在查封', true);
  await expect(page.getByText('当前：已终止（面审）')).toBeVisible();
  await expect(timeline(page).last()).toContainText('面审 → 已终止（面审）');
  await expect(timeline(page).last()).toContainText('原因：房产存在查封');
  // A stopped order offers no more moves.
  await expect(page.getByRole('button', { name: '通过', exact: true })).toHaveCount(0);
});

test('面签 finds the order by mobile, fixes a refused amount, and it passes 面签 → 权证 → 审查 → 终审', async ({
  page,
}, testInfo) => {
  await logInAs(page, 'mianqian');
  await page.getByLabel('客户电话').fill(BORROWER_MOBILE);
  await page.getByRole('button', { name: '查询' }).click();
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('desk-mianqian-filtered.png') });
  await rows.first().getByRole('link', { name: ORDER }).click();
  await expect(page).toHaveURL(new RegExp(`/mianqian/orders/${ORDER}$`));

  const borrow = card(page, '借款信息');
  await borrow.getByRole('button', { name: '编辑' }).click();
  await formItem(borrow, '借款金额').locator('input').fill('300.125');
  await borrow.getByRole('button', { name: '保存' }).click();
  await expect(formItem(borrow, '借款金额')).toContainText('借款金额最多保留2位小数');
  // The message slides in: a screenshot taken mid-way would show it half hidden.
  await page.screenshot({ path: testInfo.outputPath('order-form-refused.png'), animations: 'disabled' });
  await formItem(borrow, '借款金额').locator('input').fill('300.5');
  await borrow.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('保存成功')).toBeVisible();
  await expect(borrow).toContainText('300.5 万元');
  await expect(page.getByText('当前：面签')).toBeVisible();

  await move(page, '通过', '资料齐全，面签完成');
  await expect(page.getByText('当前：权证')).toBeVisible();
  await expect(page.getByRole('button', { name: '编辑' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('order-mianqian-passed.png'), fullPage: true });

  for (const [stage, label, next] of [
    ['quanzheng', '权证', '审查'],
    ['shencha', '审查', '终审'],
    ['zhongshen', '终审', '审批通过'],
  ] as const) {
    await logInAs(page, stage);
    await openFromDesk(page, stage, ORDER, BORROWER_MOBILE);
    await expect(page.getByText(`当前：${label}`)).toBeVisible();
    // Every stage reads the whole order before deciding on it, not only 面签.
    await expect(card(page, '借款人')).toContainText('张三');
    await expect(card(page, '配偶')).toContainText('李梅');
    await expect(card(page, '借款信息')).toContainText('300.5 万元');
    if (stage === 'quanzheng') await page.screenshot({ path: testInfo.outputPath('order-quanzheng.png') });
    await move(page, '通过', `${label}审核无误`);
    await expect(page.getByText(`当前：${next}`)).toBeVisible();
  }

  const steps = timeline(page);
  await expect(steps).toHaveCount(5);
  await expect(steps.nth(0)).toContainText('保存借款信息');
  await expect(steps.nth(0)).toContainText('操作人：demo-mianqian');
  await expect(steps.nth(1)).toContainText('面签 → 权证');
  await expect(steps.nth(1)).toContainText('原因：资料齐全，面签完成');
  await expect(steps.nth(1)).toContainText('操作人：demo-mianqian');
  await expect(steps.nth(2)).toContainText('权证 → 审查');
  await expect(steps.nth(2)).toContainText('操作人：demo-quanzheng');
  await expect(steps.nth(3)).toContainText('审查 → 终审');
  await expect(steps.nth(3)).toContainText('操作人：demo-shencha');
  await expect(steps.nth(4)).toContainText('终审 → 审批通过');
  await expect(steps.nth(4)).toContainText('操作人：demo-zhongshen（本人）');
  await page.screenshot({ path: testInfo.outputPath('order-approved.png'), fullPage: true });
  await card(page, '流转记录').screenshot({ path: testInfo.outputPath('order-timeline.png') });
});

test('a clerk sees only their own desk and cannot reach another', async ({ page }, testInfo) => {
  await logInAs(page, 'quanzheng');
  await expect(page).toHaveURL(/\/quanzheng\/orders$/);
  await expect(page.getByRole('menuitem', { name: /权证工作台/ })).toBeVisible();
  for (const other of ['客服工作台', '面签工作台', '审查工作台', '终审工作台', '新建订单']) {
    await expect(page.getByRole('menuitem', { name: new RegExp(other) })).toHaveCount(0);
  }
  await page.screenshot({ path: testInfo.outputPath('desk-quanzheng.png') });

  await page.goto(`${server.url}/shencha/orders`);
  await expect(page.getByText('无权访问')).toBeVisible();
  await page.goto(`${server.url}/mianqian/orders/${ORDER}`);
  await expect(page.getByText('无权访问')).toBeVisible();
  await page.goto(`${server.url}/kefu/orders/new`);
  await expect(page.getByText('无权访问')).toBeVisible();
});
