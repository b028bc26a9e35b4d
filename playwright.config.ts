import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * `npm run test:browser`: the H5 pages on a phone and the back office on a desktop, in a real
 * Chromium against a real `fangtong serve` process. Playwright cannot download its browsers here, so Debian's Chromium runs them, and a
 * CJK font must be installed or every Chinese character renders as a box while the DOM
 * assertions still pass.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function refuse(problem: string): never {
  console.error(
    `${problem}\nInstall them with: apt-get install -y chromium fonts-wqy-zenhei` +
      ' (or point CHROMIUM_PATH at another Chromium).',
  );
  process.exit(1);
}

if (!fs.existsSync(CHROMIUM)) refuse(`The browser tests need Chromium at ${CHROMIUM}, and it is not there.`);
let fonts = '';
try {
  fonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
} catch {
  // No fontconfig: no font either.
}
if (!fonts.trim()) refuse('The browser tests need a Chinese font (fc-list :lang=zh lists none).');

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '*.spec.ts',
  // Screenshots and traces; dist/ is ignored by git.
  outputDir: 'dist/browser-test',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: { executablePath: CHROMIUM },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // A phone, as the parties open their URLs (Chromium-based, so Debian's Chromium can play it).
      name: 'h5',
      testIgnore: 'backoffice-*.spec.ts',
      use: { ...devices['Pixel 7'] },
    },
    {
      // Staff at their desks: the smallest laptop screen the back office must be usable on.
      name: 'backoffice',
      testMatch: 'backoffice-*.spec.ts',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 768 } },
    },
  ],
});
