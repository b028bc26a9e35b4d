import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { WECHAT_V3_NOTIFY_PATH } from '../../src/dialects/payments/payments.wechat.v3.notify.route.js';
import { startWechatV3Sandbox } from '../helpers/escrow-e2e.js';
import { type Server, startServer } from './server.js';

/**
 * Family 5's page in a real phone-sized Chromium against a real `fangtong serve` with the demo
 * (park 1463714771961, 用户1 with 京A12345 and a valid card, bound to `sandbox-demo-openid`):
 * the driver logs in through the sandbox OAuth, proves the phone with the code from the server's
 * log, adds and deletes a plate, renews with a real PNG uploaded, waits for review, staff approve
 * through the back-office API, the driver pays, and the page shows the new end date.
 *
 * Paying is WeChat Pay v3 JSAPI as in production: the server runs live against a v3 sandbox HTTP
 * server whose keys the test holds, and the page runs "inside WeChat" — the test installs the
 * WeixinJSBridge a WeChat webview has, whose getBrandWCPayRequest checks the parameters the page
 * hands it (the merchant's RSA paySign over appId, timeStamp, nonceStr and package), has the
 * sandbox settle the payment and delivers WeChat's signed notify to the server.
 */
const ISV = { appKey: 'browser-parking-isv', secret: 'browser-parking-secret-0123456789' };
const DEMO = {
  openId: 'sandbox-demo-openid',
  name: '用户1',
  phone: '15245263262',
  carNum: '京A12345',
  duplicateCode: '20071230',
};
const DAY = 86_400_000;
/** A real 16×16 PNG (opaque red, CRCs and all), as a phone's camera roll would give one. */
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
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: 16 }, () => [255, 0, 0]).flat()),
  ]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: 16 }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
})();

let v3: Awaited<ReturnType<typeof startWechatV3Sandbox>>;
let server: Server;
let db: Database.Database;
let merchantKeyFile: string;

test.beforeAll(async () => {
  v3 = await startWechatV3Sandbox();
  merchantKeyFile = v3.env.WECHAT_V3_PRIVATE_KEY_FILE!;
  // Pay is live (against the sandbox server above); the OAuth login stays the sandbox's.
  server = await startServer(ISV, { ...v3.env, PAYOUT_PROVIDER: 'sandbox', PARKING_OAUTH_MODE: 'sandbox' });
  db = new Database(server.databasePath, { readonly: true });
  db.pragma('busy_timeout = 10000');
});
test.afterAll(async () => {
  db?.close();
  await server?.stop();
  await v3?.close();
});

/** The page shows real glyphs: two different characters must not render as the same box. */
async function expectChineseGlyphs(page: Page): Promise<void> {
  const distinct = await page.evaluate(() => {
    // The page's globals, named here since the project's types are Node's, not the DOM's.
    interface Canvas {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        font: string;
        fillText(text: string, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      } | null;
    }
    const browser = globalThis as unknown as {
      document: { body: unknown; createElement(tag: 'canvas'): Canvas };
      getComputedStyle(element: unknown): { fontFamily: string };
    };
    const family = browser.getComputedStyle(browser.document.body).fontFamily;
    const draw = (text: string) => {
      const canvas = browser.document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const context = canvas.getContext('2d')!;
      context.font = `48px ${family}`;
      context.fillText(text, 4, 52);
      return Array.from(context.getImageData(0, 0, 64, 64).data).join(',');
    };
    return draw('车') !== draw('位') && draw('续') !== draw('费');
  });
  expect(distinct, 'Chinese characters render as boxes: install fonts-wqy-zenhei').toBe(true);
}

/** The last code the development SMS sender logged for this phone (the log masks the phone). */
async function codeSentTo(phone: string, after: number, on: Server = server): Promise<string> {
  const masked = `${phone.slice(0, -3)}***`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = on.lines
      .slice(after)
      .reverse()
      .find((l) => l.includes(masked) && /验证码/.test(l));
    const code = line && /验证码\D{0,6}(\d{6})/.exec(line)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no code was logged for ${masked}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Epoch ms as the page writes dates: Beijing, yyyy-MM-dd. */
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

interface SecuParam {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/**
 * What WeChat does when the page calls getBrandWCPayRequest: checks the merchant's signature
 * over the parameters, then the payer pays and WeChat notifies the server (signed, encrypted).
 */
async function payAsWechat(params: SecuParam): Promise<string> {
  expect(params.signType).toBe('RSA');
  expect(params.package).toMatch(/^prepay_id=wx\w+$/);
  expect(params.timeStamp).toMatch(/^\d{10}$/);
  const merchantPublicKey = createPublicKey(fs.readFileSync(merchantKeyFile));
  const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  expect(
    verify('RSA-SHA256', Buffer.from(message), merchantPublicKey, Buffer.from(params.paySign, 'base64')),
    'paySign is the merchant RSA signature WeChat checks',
  ).toBe(true);
  const prepayId = params.package.slice('prepay_id='.length);
  const payment = db.prepare('select out_trade_no from payments where prepay_id = ?').get(prepayId) as
    | { out_trade_no: string }
    | undefined;
  expect(payment, `a payment row holds ${prepayId}`).toBeTruthy();
  const before = v3.notifies.length;
  await v3.sandbox.settle(payment!.out_trade_no, 'SUCCESS');
  const notify = v3.notifies[before]!;
  expect(notify.url).toBe(`${server.url}${WECHAT_V3_NOTIFY_PATH}`);
  const answer = await fetch(notify.url, {
    method: 'POST',
    headers: { ...notify.headers, 'content-type': 'application/json' },
    body: notify.body,
  });
  expect(answer.status, await answer.text()).toBeLessThan(300);
  return 'get_brand_wcpay_request:ok';
}

const payFailures: unknown[] = [];

/** The page runs as in WeChat's webview: WeixinJSBridge is there, and pays through payAsWechat. */
async function insideWechat(page: Page): Promise<void> {
  await page.exposeFunction('__payAsWechat', async (params: SecuParam) => {
    try {
      return await payAsWechat(params);
    } catch (error) {
      // The page only learns "fail"; the test reports why.
      payFailures.push(error);
      throw error;
    }
  });
  await page.addInitScript(() => {
    const w = globalThis as unknown as {
      __payAsWechat(params: unknown): Promise<string>;
      WeixinJSBridge?: unknown;
    };
    w.WeixinJSBridge = {
      invoke(name: string, params: unknown, callback: (answer: { err_msg: string }) => void) {
        if (name !== 'getBrandWCPayRequest') return callback({ err_msg: `${name}:fail` });
        w.__payAsWechat(params).then(
          (err_msg) => callback({ err_msg }),
          () => callback({ err_msg: 'get_brand_wcpay_request:fail' }),
        );
      },
    };
  });
}

async function staffToken(on: Server = server): Promise<string> {
  for (const username of ['demo-parking', 'demo-admin']) {
    const response = await fetch(`${on.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo123' }),
    });
    const body = (await response.json()) as { code: number; data?: { token: string } };
    if (body.code === 1 && body.data) return body.data.token;
  }
  throw new Error('no demo staff account could log in');
}

test('the demo driver proves the phone, manages plates, renews with a document, is approved, pays and sees the new end date', async ({
  page,
}, testInfo) => {
  await insideWechat(page);

  // The official account's link: WeChat's OAuth (the sandbox, as the demo's openId) and back.
  // The login sends the page back with `openId=` (whom call 7 pays for); the page keeps it.
  await page.goto(
    `${server.url}/parking/oauth/authorize?${new URLSearchParams({ redirect: '/parking/', open_id: DEMO.openId })}`,
  );
  await expect(page.getByText('包月车位', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/parking\/bind$/);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'fangtong_parking')?.httpOnly).toBe(true);
  await expectChineseGlyphs(page);

  // Prove the phone: a wrong code is refused with the server's own message, then the right one.
  await page.getByRole('textbox', { name: '车牌号' }).fill(DEMO.carNum);
  await page.getByRole('textbox', { name: '姓名' }).fill(DEMO.name);
  await page.getByRole('textbox', { name: '职工工号' }).fill(DEMO.duplicateCode);
  await page.getByRole('textbox', { name: '手机号' }).fill(DEMO.phone);
  const from = server.lines.length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('button', { name: /\d+秒后重新获取/ })).toBeDisabled();
  const code = await codeSentTo(DEMO.phone, from);
  await page.getByRole('textbox', { name: '验证码' }).fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: '验证并查询' }).click();
  await expect(page.getByTestId('form-error')).toContainText('验证码');
  await page.screenshot({ path: testInfo.outputPath('1-bind-wrong-code.png'), fullPage: true });
  await page.getByRole('textbox', { name: '验证码' }).fill(code);
  await page.getByRole('button', { name: '验证并查询' }).click();

  // The user and the card (call 1).
  await expect(page.getByText('我的包月车位')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveText(DEMO.name);
  await expect(page.getByTestId('plate').filter({ hasText: DEMO.carNum })).toBeVisible();
  const endBefore = (await page.getByTestId('card-end').first().textContent()) ?? '';
  expect(endBefore).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await expectChineseGlyphs(page);
  await page.screenshot({ path: testInfo.outputPath('2-home.png'), fullPage: true });

  // Later visits read the cards by id (call 2), with the plates' channels.
  await page.reload();
  await expect(page.getByTestId('card-end').first()).toHaveText(endBefore);

  // A plate added online (channel 9) can be deleted; one the park registered cannot.
  await page.getByRole('textbox', { name: '新增车牌号' }).fill('京L78023');
  await page.getByRole('button', { name: '添加' }).click();
  await expect(page.getByTestId('plate').filter({ hasText: '京L78023' })).toBeVisible();
  await expect(page.getByRole('button', { name: `删除车牌${DEMO.carNum}` })).toHaveCount(0);
  await page.getByRole('textbox', { name: '新增车牌号' }).fill('京L7802');
  await page.getByRole('button', { name: '添加' }).click();
  await expect(page.getByTestId('form-error')).toContainText('车牌');
  await page.screenshot({ path: testInfo.outputPath('3-plates.png'), fullPage: true });
  await page.getByRole('button', { name: '删除车牌京L78023' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
  await expect(page.getByTestId('plate').filter({ hasText: '京L78023' })).toHaveCount(0);

  // Renew: 校外, 文学院 / 中文系, a real PNG for every picture item (calls 4, 5, 6).
  await page.getByRole('button', { name: '续费' }).click();
  await expect(page).toHaveURL(/\/parking\/renew\/[0-9a-f]{32}$/);
  await page.getByText('校外', { exact: true }).click();
  await page.getByText('文学院', { exact: true }).click();
  await page.getByText('中文系', { exact: true }).click();
  await expect(page.getByRole('textbox', { name: '所属部门' })).not.toHaveValue('');
  // The demo's required documents get a real PNG; the other four slots go empty
  // (rentForBeiLiGongTempPic parts).
  const documents = ['驾驶证', '行驶证1', '在职证明'];
  await expect(page.locator('input[type=file]')).toHaveCount(7);
  for (const [i, name] of documents.entries()) {
    await page.getByLabel(name, { exact: true }).setInputFiles({
      name: `doc-${i}.png`,
      mimeType: 'image/png',
      buffer: PNG,
    });
  }
  await expectChineseGlyphs(page);
  await page.screenshot({ path: testInfo.outputPath('4-renew.png'), fullPage: true });
  await page.getByRole('button', { name: '提交订单' }).click();

  // The demo product is reviewed before pay: 审核中 until staff approve.
  await expect(page.getByTestId('order-review')).toContainText('审核中');
  const orderId = (await page.getByTestId('order-id').textContent()) ?? '';
  expect(orderId).toMatch(/^[0-9a-f]{32}$/);
  await expect(page.getByTestId('order-amount')).toHaveText('300.00 元');
  await page.screenshot({ path: testInfo.outputPath('5-under-review.png'), fullPage: true });
  const files = db
    .prepare('select size, content_type from parking_order_files where order_id = ?')
    .all(orderId) as {
    size: number;
    content_type: string;
  }[];
  expect(files.length).toBe(documents.length);
  expect(files.every((f) => f.size === PNG.length && f.content_type === 'image/png')).toBe(true);

  // Asked again before anyone decided: still 审核中. Back home (and on a later visit) the card
  // says so too, with no renewal while the order is open.
  await page.getByRole('button', { name: '刷新审核状态' }).click();
  await expect(page.getByTestId('order-review')).toContainText('审核中');
  await page.getByRole('button', { name: '返回我的车位' }).click();
  await expect(page.getByTestId('card-review')).toHaveText('审核中');
  await page.reload();
  await expect(page.getByTestId('card-review')).toHaveText('审核中');
  await expect(page.getByTestId('card-order-state')).toHaveText('待支付 · 300.00 元');
  await expect(page.getByRole('button', { name: '续费' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '去支付' })).toHaveCount(0);

  const token = await staffToken();
  const approval = await fetch(`${server.url}/api/parking/orders/${orderId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const approved = (await approval.json()) as { code: number };
  expect(approved.code, JSON.stringify(approved)).toBe(1);

  // Approved: the card offers to pay; the page pays through WeChat (call 7) and shows the new end date.
  await page.getByRole('button', { name: '刷新' }).click();
  await expect(page.getByTestId('card-review')).toHaveCount(0);
  await page.getByRole('button', { name: '去支付' }).click();
  await expect(page.getByText('待支付', { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId('order-id')).toHaveText(orderId);
  await expect(page.getByTestId('order-amount')).toHaveText('300.00 元');
  await page.getByRole('button', { name: '微信支付' }).click();
  await expect(page.getByText('支付成功').or(page.getByTestId('form-error'))).toBeVisible({
    timeout: 30_000,
  });
  if (payFailures.length > 0) throw payFailures[0];
  await expect(page.getByText('支付成功')).toBeVisible();
  const endAfter = (await page.getByTestId('new-end-date').textContent()) ?? '';
  await expectChineseGlyphs(page);
  await page.screenshot({ path: testInfo.outputPath('6-paid.png'), fullPage: true });

  // The date the page shows is the card's as the server answers it: a month after the old end.
  const card = db.prepare('select id, end_dt from parking_cards where last_order_id = ?').get(orderId) as {
    id: string;
    end_dt: number;
  };
  expect(endAfter).toBe(beijingDate(card.end_dt));
  const extended = Date.parse(endAfter) - Date.parse(endBefore);
  expect(extended).toBeGreaterThanOrEqual(28 * DAY);
  expect(extended).toBeLessThanOrEqual(31 * DAY);
  const order = db.prepare('select state, pay_suc_dt from parking_orders where id = ?').get(orderId) as {
    state: string;
    pay_suc_dt: number | null;
  };
  expect(order.state).toBe('03');
  expect(order.pay_suc_dt).toBeGreaterThan(0);

  await page.getByRole('button', { name: '返回我的车位' }).click();
  await expect(page.getByTestId('card-end').first()).toHaveText(endAfter);
  await page.screenshot({ path: testInfo.outputPath('7-home-renewed.png'), fullPage: true });

  // Another renewal, 校内 this time, refused by staff: the card says so and offers renewal again.
  await page.getByRole('button', { name: '续费' }).click();
  await page.getByText('校内', { exact: true }).click();
  for (const [i, name] of documents.entries()) {
    await page.getByLabel(name, { exact: true }).setInputFiles({
      name: `again-${i}.png`,
      mimeType: 'image/png',
      buffer: PNG,
    });
  }
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page.getByTestId('order-review')).toContainText('审核中');
  await expect(page.getByTestId('order-amount')).toHaveText('150.00 元');
  const secondId = (await page.getByTestId('order-id').textContent()) ?? '';
  expect(secondId).not.toBe(orderId);
  const refusal = await fetch(`${server.url}/api/parking/orders/${secondId}/refuse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '在职证明不清晰' }),
  });
  const refused = (await refusal.json()) as { code: number };
  expect(refused.code, JSON.stringify(refused)).toBe(1);
  await page.getByRole('button', { name: '返回我的车位' }).click();
  await expect(page.getByTestId('card-order-state')).toHaveText('审核未通过 · 150.00 元');
  await expect(page.getByTestId('card-end').first()).toHaveText(endAfter);
  await expect(page.getByRole('button', { name: '续费' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('8-renewal-refused.png'), fullPage: true });
});

test('a new driver, a new WeChat openId, buys a first permit that starts today', async ({
  page,
}, testInfo) => {
  await insideWechat(page);
  // No open_id: the sandbox makes one up, as WeChat would for a person new to the official account.
  await page.goto(`${server.url}/parking/oauth/authorize?redirect=/parking/`);
  await expect(page).toHaveURL(/\/parking\/bind$/);
  const phone = '13812345678';
  await page.getByRole('textbox', { name: '车牌号' }).fill('京b23456');
  await page.getByRole('textbox', { name: '姓名' }).fill('李四');
  await page.getByRole('textbox', { name: '职工工号' }).fill('20190001');
  await page.getByRole('textbox', { name: '手机号' }).fill(phone);
  const from = server.lines.length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByRole('textbox', { name: '验证码' }).fill(await codeSentTo(phone, from));
  await page.getByRole('button', { name: '验证并查询' }).click();

  // A new user holds one new card (state 0): nothing valid yet, 购买 offered.
  await expect(page.getByTestId('user-name')).toHaveText('李四');
  await expect(page.getByTestId('plate')).toHaveText(['京B23456']);
  await expect(page.getByTestId('card-end')).toHaveText('—');
  await page.getByRole('button', { name: '购买' }).click();
  await expect(page.getByText('购买车位', { exact: true })).toBeVisible();
  await page.getByText('校内', { exact: true }).click();
  await page.getByText('计算机学院', { exact: true }).click();
  const second = page.getByRole('listbox', { name: '二级机构' }).getByRole('option').first();
  await second.click();
  for (const [i, name] of ['驾驶证', '行驶证1', '在职证明'].entries()) {
    await page.getByLabel(name, { exact: true }).setInputFiles({
      name: `first-${i}.png`,
      mimeType: 'image/png',
      buffer: PNG,
    });
  }
  // A required item left out is refused by the server, and the page says what it said.
  await page.getByLabel('在职证明', { exact: true }).setInputFiles([]);
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page.getByTestId('form-error')).toContainText('在职证明');
  await page.screenshot({ path: testInfo.outputPath('10-first-purchase-refused.png'), fullPage: true });
  await page.getByLabel('在职证明', { exact: true }).setInputFiles({
    name: 'first-2.png',
    mimeType: 'image/png',
    buffer: PNG,
  });
  await page.getByRole('button', { name: '提交订单' }).click();
  await expect(page.getByTestId('order-review')).toContainText('审核中');
  await expect(page.getByTestId('order-amount')).toHaveText('150.00 元');
  const orderId = (await page.getByTestId('order-id').textContent()) ?? '';
  const order = db.prepare('select order_type, start_dt from parking_orders where id = ?').get(orderId) as {
    order_type: number;
    start_dt: number;
  };
  expect(order.order_type).toBe(0);

  const approval = await fetch(`${server.url}/api/parking/orders/${orderId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await staffToken()}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(((await approval.json()) as { code: number }).code).toBe(1);
  await page.getByRole('button', { name: '刷新审核状态' }).click();
  await page.getByRole('button', { name: '微信支付' }).click();
  await expect(page.getByText('支付成功').or(page.getByTestId('form-error'))).toBeVisible({
    timeout: 30_000,
  });
  if (payFailures.length > 0) throw payFailures[0];
  await expect(page.getByText('支付成功')).toBeVisible();
  // A first purchase starts today (Beijing) and runs one month.
  const end = (await page.getByTestId('new-end-date').textContent()) ?? '';
  const today = beijingDate(Date.now());
  expect(beijingDate(order.start_dt)).toBe(today);
  const length = Date.parse(end) - Date.parse(today);
  expect(length).toBeGreaterThanOrEqual(28 * DAY);
  expect(length).toBeLessThanOrEqual(31 * DAY);
  await page.screenshot({ path: testInfo.outputPath('11-first-purchase-paid.png'), fullPage: true });
  await page.getByRole('button', { name: '返回我的车位' }).click();
  await expect(page.getByTestId('card-end')).toHaveText(end);
  await expect(page.getByRole('button', { name: '续费' })).toBeVisible();

  // The driver changes name and phone (call 3): the new phone needs a code sent to it.
  await page.getByText('修改姓名或手机号').click();
  await expect(page).toHaveURL(/\/parking\/profile$/);
  await page.getByRole('textbox', { name: '新姓名' }).fill('李思');
  const newPhone = '13912345679';
  await page.getByRole('textbox', { name: '新手机号', exact: true }).fill(newPhone);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('form-error')).toContainText('验证码');
  const sentFrom = server.lines.length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByRole('textbox', { name: '新手机号验证码' }).fill(await codeSentTo(newPhone, sentFrom));
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('user-name')).toHaveText('李思');
  await expect(page.getByTestId('user-phone')).toContainText('5679');
  await page.screenshot({ path: testInfo.outputPath('12-profile-changed.png'), fullPage: true });
});

test('the page answers its client routes, while unrouted API paths stay the family 404', async ({ page }) => {
  const renew = await page.request.get(`${server.url}/parking/renew/${'0'.repeat(32)}`);
  expect(renew.status()).toBe(200);
  expect(await renew.text()).toContain('<div id="root"></div>');
  const api = await page.request.get(`${server.url}/parking/api/no-such-call`);
  expect(api.status()).toBe(404);
  expect(api.headers()['content-type']).toContain('application/json');
  expect(await api.text()).not.toContain('<html');
});

test('a caller with no session is sent through the WeChat login and back', async ({ page }) => {
  // A phone that remembers a card but has no session: call 2 answers 401, the page logs in.
  await page.goto(`${server.url}/parking/bind`);
  await page.evaluate((card) => {
    const w = globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } };
    w.localStorage.setItem('fangtong.parking', JSON.stringify({ parkId: '1463714771961', cardIds: [card] }));
  }, '0'.repeat(32));
  await page.goto(`${server.url}/parking/`);
  // Back from the sandbox login with a new openId: that card is not this person's.
  await expect(page.getByText('未找到您的车位信息，请验证手机号后查询')).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name === 'fangtong_parking')).toBe(true);
});

/**
 * Outside WeChat (a developer's browser, WECHAT_PAY_MODE=sandbox, the default) the page pays
 * through the development sandbox's POST /dev/wechat-sandbox/pay with the order's out_trade_no
 * (prPayId, call 7's answer): the v3 sandbox settles it and notifies the server as WeChat would.
 */
test('outside WeChat the page pays through the development sandbox', async ({ page }, testInfo) => {
  const sandboxed = await startServer(ISV);
  try {
    await page.goto(
      `${sandboxed.url}/parking/oauth/authorize?${new URLSearchParams({ redirect: '/parking/', open_id: DEMO.openId })}`,
    );
    await page.getByRole('textbox', { name: '车牌号' }).fill(DEMO.carNum);
    await page.getByRole('textbox', { name: '姓名' }).fill(DEMO.name);
    await page.getByRole('textbox', { name: '职工工号' }).fill(DEMO.duplicateCode);
    await page.getByRole('textbox', { name: '手机号' }).fill(DEMO.phone);
    const from = sandboxed.lines.length;
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('textbox', { name: '验证码' }).fill(await codeSentTo(DEMO.phone, from, sandboxed));
    await page.getByRole('button', { name: '验证并查询' }).click();
    const endBefore = (await page.getByTestId('card-end').first().textContent()) ?? '';
    expect(endBefore).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByRole('button', { name: '续费' }).click();
    await page.getByText('校内', { exact: true }).click();
    for (const [i, name] of ['驾驶证', '行驶证1', '在职证明'].entries()) {
      await page
        .getByLabel(name, { exact: true })
        .setInputFiles({ name: `doc-${i}.png`, mimeType: 'image/png', buffer: PNG });
    }
    await page.getByRole('button', { name: '提交订单' }).click();
    await expect(page.getByTestId('order-review')).toContainText('审核中');
    await expect(page.getByTestId('order-amount')).toHaveText('150.00 元');
    const orderId = (await page.getByTestId('order-id').textContent()) ?? '';
    const approval = await fetch(`${sandboxed.url}/api/parking/orders/${orderId}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await staffToken(sandboxed)}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await approval.json()) as { code: number }).code).toBe(1);
    await page.getByRole('button', { name: '刷新审核状态' }).click();
    await page.getByRole('button', { name: '微信支付' }).click();
    await expect(page.getByText('支付成功').or(page.getByTestId('form-error'))).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({ path: testInfo.outputPath('9-dev-sandbox-paid.png'), fullPage: true });
    await expect(page.getByText('支付成功')).toBeVisible();
    const endAfter = (await page.getByTestId('new-end-date').textContent()) ?? '';
    const extended = Date.parse(endAfter) - Date.parse(endBefore);
    expect(extended).toBeGreaterThanOrEqual(28 * DAY);
    expect(extended).toBeLessThanOrEqual(31 * DAY);
  } finally {
    await sandboxed.stop();
  }
});
