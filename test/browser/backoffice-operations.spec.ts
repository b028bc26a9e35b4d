import fs from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { demoEscrowRequest } from '../../src/seed/demo-escrow.js';
import { DEMO_TENANT_MOBILE } from '../../src/seed/demo-rental.js';
import { leaseForm } from '../helpers/lease-form.js';
import { confirmPopup } from './popconfirm.js';
import { chooseOption } from './select-option.js';
import { codeSentTo, createInvitation, type Server, startServer } from './server.js';
import { settled } from './settled.js';

/**
 * The rental, escrow and parking staff pages in a desktop Chromium (1366×768) against a real
 * `fangtong serve` with the demo. What staff review is made the way it arrives in production:
 * the demo driver renews through the parking app's API with a real PNG, a tenant signs a lease
 * through the rental app's API, and an escrow invitation is signed by both parties on the
 * acceptance pages' API and its deposit paid in through the WeChat sandbox (the demo's own escrow
 * orders are not seeded here: the test registers its ISV first). Screenshots of each page are saved beside the test's output to be looked at (the DOM
 * passes even when every Chinese character renders as a box).
 */
const ISV = { appKey: 'browser-operations-isv', secret: 'browser-operations-secret-0123456789' };
const PASSWORD = 'demo123';

/** A real 16×16 PNG (opaque blue), as a phone's camera roll would give one. */
const PNG = (() => {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(16, 0);
  header.writeUInt32BE(16, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: 16 }, () => [0, 80, 255]).flat()),
  ]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: 16 }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
})();

let server: Server;

test.beforeAll(async () => {
  server = await startServer(ISV);
});

test.afterAll(async () => {
  await server?.stop();
});

/** Logs in; the shell then names the user by their display name (the demo's are their usernames). */
async function logIn(page: Page, username: string, displayName = username): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(new RegExp(`^${displayName}（`))).toBeVisible();
}

async function logOut(page: Page, username: string): Promise<void> {
  await page.getByText(new RegExp(`^${username}（`)).hover();
  const menu = await settled(page.locator('.ant-dropdown:not(.ant-dropdown-hidden)'));
  await menu.getByText('退出登录').click();
  await expect(page).toHaveURL(/\/login$/);
}

/** The demo driver (parking app, sandbox OAuth) renews the demo card with three pictures: an order in review. */
async function renewDemoCard(): Promise<string> {
  const driver: APIRequestContext = await request.newContext({ baseURL: server.url });
  try {
    await driver.get('/parking/oauth/authorize?open_id=sandbox-demo-openid&redirect=/parking/');
    const documents = ['驾驶证', '行驶证1', '在职证明'];
    const form = new FormData();
    const fields = {
      omPrCardId: '0027f8615ca143a4967b98ee7dad1026',
      pmSetrentId: 'c933aabd0057483c8f0dc8da65c781b4',
      productVId: '1245aabd0057483c8f0dc8da65c781b4',
      priceType: '02',
      userInfoId: 'b5ae3fed8f35419ab3e6c9521e631354',
      duplicateCode: '20071230',
      userDepartment: '111001',
      firstOrgName: '文学院',
      firstOrgCode: '111',
      secondOrgName: '中文系',
      secondOrgCode: '111001',
      extraDataJson: JSON.stringify(
        documents.map((name, code) => ({ type: '1', name, code: String(code), content: `${code}.png` })),
      ),
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    // Every document a part named `files`, in the extra items' order, as the app sends them.
    for (const [i] of documents.entries())
      form.append('files', new Blob([PNG], { type: 'image/png' }), `${i}.png`);
    const answer = await driver.post('/parking/api/order/renew', { multipart: form });
    const body = await answer.json();
    const id = body?.omPrOrderRentOutVo?.omPrOrderId;
    if (typeof id !== 'string') throw new Error(`renew refused: ${JSON.stringify(body)}`);
    return id;
  } finally {
    await driver.dispose();
  }
}

test('a parking clerk approves an order in review and sees its state change', async ({ page }, testInfo) => {
  const orderId = await renewDemoCard();
  await logIn(page, 'demo-parking');
  await expect(page).toHaveURL(/\/parking-orders/);
  await expect(page.getByRole('menuitem', { name: /订单审核/ })).toBeVisible();

  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('审核中');
  await expect(rows.first()).toContainText('300.00');
  await expect(page.getByText('共 1 单')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('parking-queue.png') });

  await rows.first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/parking-orders/${orderId}$`));
  // Opened afresh (a bookmark, a reload), the address is the back office's, not the parking app's.
  await page.reload();
  await expect(page.getByText(`停车订单 ${orderId}`)).toBeVisible();
  await expect(page.getByText('300.00 元').first()).toBeVisible();
  // The documents inline, served by the staff file route.
  const pictures = page.locator('.ant-image img');
  await expect(pictures).toHaveCount(3);
  await expect
    .poll(() => pictures.first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBe(16);
  await expect(page.getByRole('button', { name: '退款' })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('parking-order.png'), fullPage: true });

  await page.getByRole('button', { name: '审核通过' }).click();
  await confirmPopup(page, '通过');
  await expect(page.getByText('已审核通过')).toBeVisible();
  await expect(page.locator('.ant-page-header').getByText('已审核')).toBeVisible();
  await expect(page.getByText('demo-parking', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: '审核通过' })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('parking-approved.png'), fullPage: true });

  // The queue no longer holds it.
  await page.getByRole('link', { name: '返回审核列表' }).click();
  await expect(page.locator('.ant-empty-description')).toHaveText('暂无数据');
  // An order that does not exist: the server's words, and the way back.
  await page.goto(`${server.url}/parking-orders/${'0'.repeat(32)}`);
  await expect(page.getByText('订单不存在')).toBeVisible();
  await expect(page.getByRole('link', { name: '返回审核列表' })).toBeVisible();
  await page.goto(`${server.url}/parking-parks`);
  await expect(page.getByText('北京理工大学停车场')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('parking-parks.png') });
});

/**
 * An escrow invitation (the demo's terms) both parties accepted with the code texted to them, its
 * 100,000 元 deposit paid by the buyer through the WeChat sandbox: money held in escrow.
 */
async function signedEscrowOrder(): Promise<string> {
  const phones = { buyerPhone: '13800000301', landlordPhone: '13800000302' };
  const invitation = await createInvitation(server, ISV, demoEscrowRequest('BROWSER-OPS', phones));
  const party = await request.newContext({ baseURL: server.url });
  try {
    const api = async (path: string, data?: object) => {
      const answer = await (data ? party.post(path, { data }) : party.get(path));
      const body = await answer.json();
      if (body.code !== 0) throw new Error(`${path} refused: ${JSON.stringify(body)}`);
      return body.data;
    };
    for (const [url, phone] of [
      [invitation.buyer_url, phones.buyerPhone],
      [invitation.landlord_url, phones.landlordPhone],
    ] as const) {
      const token = url.split('/').pop();
      const { terms_hash } = await api(`/escrow/api/invitations/${token}`);
      const from = server.lines.length;
      await api(`/escrow/api/invitations/${token}/send-code`, {});
      const code = await codeSentTo(server, phone, from);
      await api(`/escrow/api/invitations/${token}/accept`, { code, terms_hash });
    }
    const buyer = invitation.buyer_url.split('/').pop();
    const pay = await api(`/escrow/api/invitations/${buyer}/pay`, {
      amount_type: 'deposit_pay',
      open_id: 'browser-ops-buyer',
    });
    const paid = await party.post('/dev/wechat-sandbox/pay', { data: { out_trade_no: pay.out_trade_no } });
    expect(paid.ok()).toBe(true);
  } finally {
    await party.dispose();
  }
  return invitation.house_order_no;
}

/** A second escrow clerk, made by the admin as an operator would: maker-checker needs two. */
async function addEscrowChecker(username: string): Promise<void> {
  const admin = await request.newContext({ baseURL: server.url });
  try {
    const login = await admin.post('/api/auth/login', {
      data: { username: 'demo-admin', password: PASSWORD },
    });
    expect((await login.json()).code).toBe(1);
    const created = await admin.post('/api/staff', {
      data: { username, password: PASSWORD, display_name: '复核员', roles: ['escrow'] },
    });
    expect((await created.json()).code, JSON.stringify(await created.json())).toBe(1);
  } finally {
    await admin.dispose();
  }
}

test('an escrow clerk requests a release, cannot approve it, and a second escrow clerk approves it from the queue', async ({
  page,
}, testInfo) => {
  const checker = 'escrow-checker';
  await addEscrowChecker(checker);
  const signed = await signedEscrowOrder();

  await logIn(page, 'demo-escrow');
  await expect(page).toHaveURL(/\/escrow-orders/);
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('共 1 单')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('escrow-orders.png') });
  await chooseOption(page, page.getByLabel('状态'), '待应约');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.locator('.ant-empty-description')).toHaveText('暂无数据');
  // The chosen state covers the select's input: open it by force.
  await chooseOption(page, page.getByLabel('状态'), '已应约', { force: true });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('已应约');
  await page.getByRole('link', { name: signed }).click();

  await expect(page.getByText(`监管订单 ${signed}`)).toBeVisible();
  await expect(page.getByText('100,000.00 元').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('escrow-order.png'), fullPage: true });

  // The maker asks for 10,000 元 to the landlord.
  await page.getByRole('button', { name: '申请放款/退款' }).click();
  const dialog = await settled(page.getByRole('dialog'));
  await dialog.getByLabel('金额（元）').fill('10000');
  await dialog.getByLabel('原因').fill('过户完成，支付首笔房款');
  await dialog.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText(/已提交放款申请 10,000\.00 元（编号 \d+）/)).toBeVisible();
  const asked = page.locator('.ant-table-row').filter({ hasText: '过户完成' });
  await expect(asked).toContainText('待审批');
  await expect(asked).toContainText('本人');
  await page.screenshot({ path: testInfo.outputPath('escrow-requested.png'), fullPage: true });

  // Four eyes: the maker's own approval is refused by the server (403), in its words, on the
  // order's page: a refused action is not 无权访问, and the request still waits.
  await asked.getByRole('button', { name: '审批通过' }).click();
  await confirmPopup(page, '通过');
  await expect(
    page.locator('.ant-alert-error').getByText('申请人不能审批自己的申请，请由另一位资金监管人员审批'),
  ).toBeVisible();
  await expect(page.getByText('无权访问')).toHaveCount(0);
  await expect(page.getByText(`监管订单 ${signed}`)).toBeVisible();
  await expect(asked).toContainText('待审批');
  await page.screenshot({ path: testInfo.outputPath('escrow-own-approval-refused.png') });
  // In the checkers' queue the maker's own request is marked and offers them no decision.
  await page.getByRole('menuitem', { name: '待审批', exact: true }).click();
  const queued = page.locator('.ant-table-row').filter({ hasText: signed });
  await expect(queued).toContainText('本人');
  await expect(queued.getByRole('button', { name: '审批通过' })).toBeDisabled();
  await queued.getByRole('button', { name: '审批通过' }).hover({ force: true });
  await expect(page.getByRole('tooltip')).toHaveText('本人提出的申请不能由本人审批');
  await logOut(page, 'demo-escrow');

  // The checker takes it from the queue: oldest first, linked to its order, 10,000.00 元.
  await logIn(page, checker, '复核员');
  await page.getByRole('menuitem', { name: '待审批', exact: true }).click();
  await expect(page).toHaveURL(/\/escrow-releases/);
  await expect(page.getByText('共 1 条申请')).toBeVisible();
  await expect(queued).toContainText('10,000.00');
  await expect(queued).toContainText('过户完成，支付首笔房款');
  await expect(queued).not.toContainText('本人');
  // The screenshot shows the queue, not the login's greeting over it.
  await expect(page.locator('.ant-message-notice')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('escrow-queue.png') });
  await queued.getByRole('button', { name: '审批通过' }).click();
  await confirmPopup(page, '通过');
  await expect(page.getByText(/已审批通过申请 \d+，付款 EP/)).toBeVisible();
  // Decided, it leaves the waiting requests for the approved ones.
  await expect(page.locator('.ant-empty-description')).toHaveText('暂无数据');
  await chooseOption(page, page.getByLabel('状态'), '已批准', { force: true });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(queued).toContainText(checker);
  await queued.getByRole('link', { name: signed }).click();

  await expect(page.getByText(`监管订单 ${signed}`)).toBeVisible();
  const pending = page.locator('.ant-table-row').filter({ hasText: '过户完成' });
  await expect(pending).toContainText('已批准');
  await expect(pending).toContainText(checker);
  // 10,000 元 left the held account; the payout is on its way (or paid).
  await expect(page.getByText('90,000.00 元').first()).toBeVisible();
  await expect(page.getByRole('cell', { name: /^EP\w+$/ })).toHaveCount(1);
  // Both parties accepted with the code texted to them; their mobiles only as the server masks them.
  const parties = page
    .locator('.ant-pro-card')
    .filter({ has: page.getByText('交易双方', { exact: true }) })
    .last();
  for (const role of ['买方', '房东'])
    await expect(parties.locator('.ant-table-row').filter({ hasText: role })).toContainText('已接受');
  await expect(parties).not.toContainText('13800000301');
  await expect(parties).not.toContainText('13800000302');
  await parties.screenshot({ path: testInfo.outputPath('escrow-parties.png') });
  await page.screenshot({ path: testInfo.outputPath('escrow-approved.png'), fullPage: true });
});

/**
 * The demo tenant (500 元 held as deposit) signs a 6-month lease of the demo's entrust 3 (1 fen a
 * month) from today, pays its one installment (7 fen) from the held deposit, and asks to move out.
 */
async function leaseMovingOut(): Promise<number> {
  const tenant = await request.newContext({ baseURL: server.url });
  try {
    const from = server.lines.length;
    await tenant.post('/user_auth/send_code', { data: { mobile: DEMO_TENANT_MOBILE } });
    const code = await codeSentTo(server, DEMO_TENANT_MOBILE, from);
    const login = await (
      await tenant.post('/user_auth/login', { data: { mobile: DEMO_TENANT_MOBILE, code } })
    ).json();
    const headers = { authorization: `Bearer ${login.data.token}` };
    const api = async (path: string, data: object) => {
      const body = await (await tenant.post(path, { data, headers })).json();
      if (body.code !== 0) throw new Error(`${path} refused: ${JSON.stringify(body)}`);
      return body.data;
    };
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const signed = await api('/user_contract/save', leaseForm(today));
    await api('/user_order/longPay', {
      id: String(signed.id),
      is_d_deposit: 1,
      u_p_id: String(signed.u_p_id),
    });
    await api('/user_order/retirement', { id: String(signed.id) });
    return Number(signed.id);
  } finally {
    await tenant.dispose();
  }
}

test("an operator finds a lease by the tenant's mobile, sees its installments and completes the move-out", async ({
  page,
}, testInfo) => {
  const leaseId = await leaseMovingOut();
  await logIn(page, 'demo-admin');
  await page.goto(`${server.url}/rental/leases`);
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  await page.getByLabel('租客手机号').fill(DEMO_TENANT_MOBILE);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('退租申请中');
  // Lists show mobiles masked; the filter took the whole number.
  await expect(rows.first()).toContainText(`${DEMO_TENANT_MOBILE.slice(0, -3)}***`);
  await expect(page.getByText('共 1 单，租金合计 0.06 元，押金合计 0.01 元')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('rental-leases.png') });

  await rows
    .first()
    .getByRole('link', { name: String(leaseId) })
    .click();
  await expect(page.getByText(`租约 ${leaseId}`)).toBeVisible();
  // The card titled 分期 (its title sits in the card's header).
  const installments = page.locator('.ant-pro-card-title', { hasText: /^分期$/ }).locator('xpath=../..');
  await expect(installments.locator('.ant-table-row')).toHaveCount(1);
  await expect(installments.locator('.ant-table-row').first()).toContainText('第 1 期');
  await expect(installments.locator('.ant-table-row').first()).toContainText('已支付');
  await expect(installments.locator('.ant-table-row').first()).toContainText('0.07');
  await expect(page.getByText('499.93 元')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('rental-lease.png'), fullPage: true });

  await page.getByRole('button', { name: '完成退租' }).click();
  await confirmPopup(page, '完成退租');
  // The deposit came from an opening balance: nothing can go back through WeChat, so it stays
  // held, the lease's 押金 (0.01 元) back in it.
  await expect(page.getByText(/^退租完成：/)).toBeVisible();
  await expect(page.locator('.ant-page-header').getByText('退租完成')).toBeVisible();
  // The confirmation's own 完成退租 button leaves with its closing animation first.
  await expect(page.getByRole('tooltip')).toBeHidden();
  await expect(page.getByRole('button', { name: '完成退租', exact: true })).toBeDisabled();
  await expect(page.getByText('499.94 元')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('rental-retired.png'), fullPage: true });

  await page.goto(`${server.url}/rental/tenants`);
  await expect(page.locator('.ant-table-tbody tr.ant-table-row').first()).toContainText('499.94');
  await page.screenshot({ path: testInfo.outputPath('rental-tenants.png') });
});

test('set-up dialogs keep the server’s refusal, on the field it names: a parking clerk adds orgs and prices, an admin an ISV', async ({
  page,
}, testInfo) => {
  await logIn(page, 'demo-parking');
  await page.goto(`${server.url}/parking-parks`);
  const park = page.locator('.ant-table-row').filter({ hasText: '北京理工大学停车场' });
  await park.getByRole('button', { name: '添加机构' }).click();
  let dialog = await settled(page.getByRole('dialog'));
  await dialog.getByLabel('名称').first().fill('外国语学院');
  await dialog.getByLabel('编号').first().fill('111');
  await dialog.getByRole('button', { name: '确定' }).click();
  // 111 is 文学院's: the server refuses it, and the dialog stays for the clerk to correct.
  await expect(dialog.getByText('机构编码已存在')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('parking-orgs-refused.png') });
  await dialog.getByLabel('编号').first().fill('114');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已为北京理工大学停车场添加 1 个机构：外国语学院（114）')).toBeVisible();

  await page.getByRole('button', { name: '新增产品' }).click();
  dialog = await settled(page.getByRole('dialog'));
  await chooseOption(page, dialog.getByLabel('停车场'), '北京理工大学停车场');
  await dialog.getByLabel('产品名称').fill('包年');
  await dialog.getByLabel('校内价（元）').fill('1500');
  await dialog.getByLabel('校外价（元）').fill('3000.5');
  await dialog.getByRole('button', { name: '确定' }).click();
  const added = page.getByText(/^已新增产品 包年：产品ID (\w+)，/);
  await expect(added).toContainText('校内 1500.00 元 / 校外 3000.50 元');
  const productId = /产品ID (\w+)，/.exec((await added.textContent()) ?? '')?.[1] ?? '';

  await page.getByRole('button', { name: '调整价格' }).click();
  dialog = await settled(page.getByRole('dialog'));
  await dialog.getByLabel('产品ID（pmSetrentId）').fill(productId);
  await dialog.getByLabel('校内价（元）').fill('0');
  await dialog.getByLabel('校外价（元）').fill('2800');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('校内价须为大于0、最多两位小数的金额（元）')).toBeVisible();
  await dialog.getByLabel('校内价（元）').fill('1400');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(/^已生效新价格版本 \w+：校内 1400\.00 元 \/ 校外 2800\.00 元/)).toBeVisible();
  await expect(dialog).toBeHidden();
  // The park's row opens onto what the server now holds: the new org and 包年 at its new prices.
  await park.getByRole('button', { name: /展开|Expand row/ }).click();
  const configuration = page.locator('.ant-table-expanded-row');
  await expect(configuration.getByText('外国语学院（114）')).toBeVisible();
  await expect(configuration.locator('.ant-table-row').filter({ hasText: '包年' })).toContainText(
    '1400.00 / 2800.00',
  );
  await page.screenshot({ path: testInfo.outputPath('parking-prices.png'), fullPage: true });
  // The export says the same: 包年 of the demo park at its new prices.
  const [parksCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /导出停车场与产品/ }).click(),
  ]);
  expect(parksCsv.suggestedFilename()).toBe('停车场与产品.csv');
  const parkRows = fs
    .readFileSync(await parksCsv.path(), 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(parkRows[0]).toBe(
    '停车场ID,停车场名称,停车场创建时间,产品ID,产品名称,计费单位,支付前审核,状态,当前价格版本,校内价（元）,校外价（元）,价格生效时间',
  );
  expect(parkRows.find((line) => line.includes(`,${productId},包年,`))).toMatch(/,1400\.00,2800\.00,/);
  await logOut(page, 'demo-parking');

  await logIn(page, 'demo-admin');
  await page.goto(`${server.url}/escrow-isvs`);
  await page.getByRole('button', { name: '新增 ISV' }).click();
  dialog = await settled(page.getByRole('dialog'));
  await dialog.getByLabel('app_key').fill('browser-second-isv');
  await dialog.getByLabel('密钥').fill('too-short');
  await dialog.getByLabel('可代理的门店ID').fill('10223');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(dialog.getByText('secret长度须为16-128个字符')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('escrow-isv-refused.png') });
  await dialog.getByLabel('密钥').fill('a-secret-long-enough-0123');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText(/^已新增 ISV browser-second-isv（编号 \d+）$/)).toBeVisible();
  const row = page.locator('.ant-table-row').filter({ hasText: 'browser-second-isv' });
  await expect(row).toContainText('10223');
  await expect(row).toContainText('启用');
  await expect(dialog).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath('escrow-isvs.png') });

  await page.getByRole('menuitem', { name: /ISV 通知/ }).click();
  // Paged through by keyset now, no longer the newest 100: found by its title.
  await expect(page.locator('.ant-pro-table-list-toolbar-title', { hasText: 'ISV 通知' })).toBeVisible();
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('escrow-notifications.png') });
});
