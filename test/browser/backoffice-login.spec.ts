import { expect, type Page, test } from '@playwright/test';
import { chooseOption } from './select-option.js';
import { type Server, startServer } from './server.js';
import { settled } from './settled.js';

/**
 * The back office in a desktop Chromium (1366×768) against a real `fangtong serve` with the demo:
 * staff log in as the demo accounts (one per role, password demo123), the 面签 clerk finds the
 * spec's order 1602261137470 by its borrower's mobile and opens it, a clerk without the role
 * neither sees the desk nor opens it by address, and the server's own 403 shows as 无权访问.
 * Screenshots of each page are saved beside the test's output (dist/browser-test/…) to be looked
 * at: the DOM passes even when every Chinese character renders as a box.
 */
const ISV = { appKey: 'browser-backoffice-isv', secret: 'browser-backoffice-secret-0123456789' };
const PASSWORD = 'demo123';
const ORDER = '1602261137470';
const BORROWER = { name: '张三', mobile: '13800138000', spouse: '李梅' };

let server: Server;

test.beforeAll(async () => {
  server = await startServer(ISV);
});

test.afterAll(async () => {
  await server?.stop();
});

async function logIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a 面签 clerk logs in, finds the order by borrower mobile and opens it', async ({ page }, testInfo) => {
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText('员工登录')).toBeVisible();

  await logIn(page, 'demo-mianqian', 'wrong-password');
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误');
  await page.screenshot({ path: testInfo.outputPath('login-refused.png') });

  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/mianqian\/orders$/);
  await expect(page.getByText('demo-mianqian（面签）')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /面签工作台/ })).toBeVisible();
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(20);
  await expect(page.getByText(/共 \d+ 页，其中驳回 \d+ 单/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('desk-list.png') });

  // 驳回 only: every row the desk returned, each marked.
  await chooseOption(page, page.getByLabel('驳回'), '只看驳回');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText(/共 1 页，其中驳回 \d+ 单/)).toBeVisible();
  const rejected = await rows.count();
  expect(rejected).toBeGreaterThan(0);
  await expect(rows.getByText('驳回', { exact: true })).toHaveCount(rejected);
  await page.screenshot({ path: testInfo.outputPath('desk-bohui.png') });
  await page.getByRole('button', { name: '重置' }).click();
  await expect(rows).toHaveCount(20);

  await page.getByLabel('客户电话').fill(BORROWER.mobile);
  await page.getByRole('button', { name: '查询' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(ORDER);
  await expect(rows.first()).toContainText(BORROWER.name);
  // Lists show mobiles masked; the filter took the whole number.
  await expect(rows.first()).toContainText('13800138***');
  await page.screenshot({ path: testInfo.outputPath('desk-filtered.png') });

  await rows.first().getByRole('link', { name: ORDER }).click();
  await expect(page).toHaveURL(new RegExp(`/mianqian/orders/${ORDER}$`));
  await expect(page.getByText(`订单 ${ORDER}`)).toBeVisible();
  await expect(page.getByText(BORROWER.spouse)).toBeVisible();
  await expect(page.getByText('建议记录')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('order-detail.png'), fullPage: true });

  // Back keeps the filter (it lives in the address).
  await page.goBack();
  await expect(rows).toHaveCount(1);

  await page.getByText('demo-mianqian（面签）').hover();
  const menu = await settled(page.locator('.ant-dropdown:not(.ant-dropdown-hidden)'));
  await menu.getByText('退出登录').click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${server.url}/mianqian/orders`);
  await expect(page).toHaveURL(/\/login\?from=%2Fmianqian%2Forders$/);
});

test('a clerk without the 面签 role sees no desk in the menu and 无权访问 at its address', async ({
  page,
}, testInfo) => {
  await page.goto(`${server.url}/login`);
  await logIn(page, 'demo-kefu');
  await expect(page.getByText('demo-kefu（客服）')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /面签工作台/ })).toHaveCount(0);

  await page.goto(`${server.url}/mianqian/orders`);
  await expect(page.getByText('无权访问')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('forbidden.png') });
});

test('the server is the judge: its 403 shows as 无权访问 even when the page was fooled', async ({ page }) => {
  // The page is told the clerk holds the role; the server, asked for the desk, says otherwise.
  await page.route('**/api/auth/me', async (route) => {
    const answer = await route.fetch();
    const body = await answer.json();
    body.data.roles.push('mianqian');
    await route.fulfill({ response: answer, json: body });
  });
  await page.goto(`${server.url}/login`);
  await logIn(page, 'demo-quanzheng');
  await expect(page).toHaveURL(/\/mianqian\/orders$/);
  await expect(page.getByText('无权访问')).toBeVisible();
  await expect(page.getByText('需要面签权限')).toBeVisible();
  await expect(page.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(0);
});

test("a login goes back to the address it interrupted; the lockout is said in the server's words", async ({
  page,
}) => {
  await page.goto(`${server.url}/mianqian/orders/${ORDER}`);
  await expect(page).toHaveURL(new RegExp(`/login\\?from=%2Fmianqian%2Forders%2F${ORDER}$`));

  // Five wrong passwords lock the account name for 15 minutes; the sixth attempt is refused unchecked.
  for (let i = 0; i < 5; i += 1) {
    const refused = await page.request.post(`${server.url}/api/auth/login`, {
      data: { username: 'demo-shencha', password: `wrong-${i}` },
    });
    expect(refused.status()).toBe(401);
  }
  await logIn(page, 'demo-shencha');
  await expect(page.getByRole('alert')).toContainText('登录失败次数过多，请15分钟后再试');

  await logIn(page, 'demo-mianqian');
  await expect(page).toHaveURL(new RegExp(`/mianqian/orders/${ORDER}$`));
  await expect(page.getByText(BORROWER.name).first()).toBeVisible();
});

test('Chinese renders as glyphs, not boxes: without a CJK font every character draws the same box', async ({
  page,
}) => {
  await page.goto(`${server.url}/login`);
  await expect(page.getByText('员工登录')).toBeVisible();
  // Each character drawn in the page's own font; a missing font makes all four images equal.
  const distinct = await page.evaluate(`(() => {
    const font = getComputedStyle(document.body).fontFamily;
    const draw = (character) => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 40;
      const context = canvas.getContext('2d');
      context.font = '28px ' + font;
      context.fillText(character, 4, 32);
      return canvas.toDataURL();
    };
    return new Set(['员', '工', '登', '录'].map(draw)).size;
  })()`);
  expect(distinct).toBe(4);
});
