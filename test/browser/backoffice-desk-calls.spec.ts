import { expect, test } from '@playwright/test';
import { type Server, startServer } from './server.js';

/**
 * The desk a clerk keeps open all day, on a 1920 screen: it loads with one list call and pages
 * with one more — no call per row — so on a million orders it answers as fast as the list API
 * itself does (docs/benchmarks.md).
 */
const ISV = { appKey: 'browser-desk-calls-isv', secret: 'browser-desk-calls-secret-0123456789' };

let server: Server;

test.beforeAll(async () => {
  server = await startServer(ISV);
});

test.afterAll(async () => {
  await server?.stop();
});

test('the 面签 desk loads with one list call and pages with one more, on a 1920×1080 screen', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${server.url}/login`);
  await page.getByPlaceholder('用户名').fill('demo-mianqian');
  await page.getByPlaceholder('密码').fill('demo123');
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === server.url && !url.pathname.startsWith('/assets/') && url.pathname !== '/')
      calls.push(`${request.method()} ${url.pathname}`);
  });
  await page.getByRole('button', { name: /登\s*录/ }).click();
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(20);
  await expect(page.getByText(/共 \d+ 页/)).toBeVisible();
  // The login, who is logged in, the desk's counts and one page of the list: nothing per row.
  expect([...calls].sort()).toEqual(
    [
      'GET /api/auth/me',
      'GET /order_mianqian/index',
      'GET /order_mianshen/ajax_get_list',
      'POST /api/auth/login',
    ].sort(),
  );
  await page.screenshot({ path: testInfo.outputPath('desk-1920.png') });

  const first = await rows.first().textContent();
  calls.length = 0;
  await page.locator('.ant-pagination-item-2').click();
  await expect(rows.first()).not.toHaveText(first ?? '');
  await expect(rows).toHaveCount(20);
  expect(calls).toEqual(['GET /order_mianshen/ajax_get_list']);
  // The login's notice gone: the desk as the clerk works at it (docs/images/backoffice-desk.png).
  await expect(page.locator('.ant-message-notice')).toHaveCount(0);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: testInfo.outputPath('desk-1920-page-2.png') });
});
