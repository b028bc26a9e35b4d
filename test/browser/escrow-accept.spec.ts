import { expect, type Page, test } from '@playwright/test';
import { createRequest, phone } from '../modules/escrow/escrow-fixtures.js';
import { codeSentTo, createInvitation, type Server, startServer } from './server.js';

/**
 * Family 3's acceptance page in a real phone-sized Chromium, against a real `fangtong serve`:
 * an invitation made through the signed TOP gateway, each party's URL opened, the SMS code read
 * from the development log, accepted and declined through the page as a person would.
 */
const ISV = { appKey: 'browser-test-isv', secret: 'browser-test-secret-0123456789' };

let server: Server;
test.beforeAll(async () => {
  server = await startServer(ISV);
});
test.afterAll(async () => {
  await server?.stop();
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
    return draw('监') !== draw('管') && draw('房') !== draw('通');
  });
  expect(distinct, 'Chinese characters render as boxes: install fonts-wqy-zenhei').toBe(true);
}

async function requestCode(page: Page, mobile: string): Promise<string> {
  const from = server.lines.length;
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('button', { name: /\d+秒后重新获取/ })).toBeDisabled();
  return codeSentTo(server, mobile, from);
}

test('the buyer accepts, the landlord declines with a reason', async ({ browser }, testInfo) => {
  const invitation = await createInvitation(server, ISV, createRequest(7));
  expect(invitation.buyer_url).toMatch(/\/escrow\/accept\/[\w-]{43}$/);

  // The buyer: terms, code, a wrong code refused under the field, then the right one.
  const buyer = await browser.newPage();
  await buyer.goto(invitation.buyer_url);
  await expect(buyer.getByText('二手房交易资金监管')).toBeVisible();
  await expect(buyer.getByText('浙江省杭州市西湖区文三路1号')).toBeVisible();
  await expect(buyer.getByText('1,000,000.00 元')).toBeVisible();
  await expect(buyer.getByText('100,000.00 元')).toBeVisible();
  await expect(buyer.getByText('600,000.00 元')).toBeVisible();
  await expect(buyer.getByText('1,000.00 元')).toBeVisible();
  await expect(buyer.getByText('定金合同')).toBeVisible();
  await expect(buyer.getByText('买方', { exact: true })).toBeVisible();
  await expect(buyer.getByTestId('party-phone')).toHaveText(`${phone(7, 1).slice(0, -3)}***`);
  await expect(buyer.getByText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)).toBeVisible();
  await expectChineseGlyphs(buyer);
  await buyer.screenshot({ path: testInfo.outputPath('1-buyer-terms.png'), fullPage: true });

  const code = await requestCode(buyer, phone(7, 1));
  const codeBox = buyer.getByRole('textbox', { name: '验证码' });
  await codeBox.fill(code === '000000' ? '111111' : '000000');
  await buyer.getByRole('button', { name: '同意并签约' }).click();
  await expect(buyer.getByTestId('code-error')).toHaveText('验证码错误或已失效');
  await buyer.screenshot({ path: testInfo.outputPath('2-buyer-wrong-code.png'), fullPage: true });

  await codeBox.fill(code);
  await buyer.getByRole('button', { name: '同意并签约' }).click();
  await expect(buyer.getByText('已同意，等待对方')).toBeVisible();
  await buyer.screenshot({ path: testInfo.outputPath('3-buyer-accepted.png'), fullPage: true });
  // Opened again, the page shows where the invitation stands.
  await buyer.reload();
  await expect(buyer.getByText('已同意，等待对方')).toBeVisible();

  // The landlord, in a second page: sees the buyer has accepted, declines with a reason.
  const landlord = await browser.newPage();
  await landlord.goto(invitation.landlord_url);
  await expect(landlord.getByText('卖方', { exact: true })).toBeVisible();
  await expect(landlord.getByText(/买方张三已同意/)).toBeVisible();
  const landlordCode = await requestCode(landlord, phone(7, 2));
  await landlord.getByRole('textbox', { name: '验证码' }).fill(landlordCode);
  await landlord.getByRole('button', { name: '拒绝' }).click();
  const dialog = landlord.getByRole('dialog');
  await expect(dialog.getByText('确认拒绝该邀约？')).toBeVisible();
  await dialog.getByRole('textbox', { name: '拒绝原因' }).fill('价格需要重新商量');
  await landlord.screenshot({ path: testInfo.outputPath('4-landlord-decline-dialog.png'), fullPage: true });
  await dialog.getByRole('button', { name: '确认拒绝' }).click();
  await expect(landlord.getByText('已拒绝', { exact: true })).toBeVisible();
  await landlord.screenshot({ path: testInfo.outputPath('5-landlord-declined.png'), fullPage: true });

  // The buyer's page, reopened, shows the end.
  await buyer.reload();
  await expect(buyer.getByText('已拒绝', { exact: true })).toBeVisible();
});

test('both accept, and a refused code request shows the reason the server gave', async ({
  browser,
}, testInfo) => {
  const invitation = await createInvitation(server, ISV, createRequest(8));
  const buyer = await browser.newPage();
  await buyer.goto(invitation.buyer_url);
  await buyer.getByRole('textbox', { name: '验证码' }).fill(await requestCode(buyer, phone(8, 1)));
  await buyer.getByRole('button', { name: '同意并签约' }).click();
  await expect(buyer.getByText('已同意，等待对方')).toBeVisible();

  // The landlord's URL open twice: a second code within the minute is refused, and the page says why.
  const other = await browser.newPage();
  await other.goto(invitation.landlord_url);
  const landlord = await browser.newPage();
  await landlord.goto(invitation.landlord_url);
  const code = await requestCode(landlord, phone(8, 2));
  await other.getByRole('button', { name: '获取验证码' }).click();
  await expect(other.getByTestId('form-error')).toContainText('验证码发送过于频繁，请1分钟后再试');
  await other.screenshot({ path: testInfo.outputPath('6-code-refused.png'), fullPage: true });

  await landlord.getByRole('textbox', { name: '验证码' }).fill(code);
  await landlord.getByRole('button', { name: '同意并签约' }).click();
  await expect(landlord.getByText('双方已签约')).toBeVisible();
  await landlord.screenshot({ path: testInfo.outputPath('7-signed.png'), fullPage: true });
  await buyer.reload();
  await expect(buyer.getByText('双方已签约')).toBeVisible();
});

test('an unknown token says the invitation does not exist', async ({ page }) => {
  await page.goto(`${server.url}/escrow/accept/${'A'.repeat(43)}`);
  await expect(page.getByText('无法打开邀约')).toBeVisible();
  await expect(page.getByText('邀约不存在或已失效')).toBeVisible();
});
