import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The last part of `npm test`: the pages in a real Chromium (`npm run test:browser`) when this
 * machine has one and a Chinese font, and otherwise a plain word on how to get them — a missing
 * browser is not a failing test, except under CI, which must run them. They drive a real server
 * on SQLite whatever TEST_DATABASE_URL says, so the PostgreSQL pass does not run them again.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (process.env.TEST_DATABASE_URL) {
  console.log(
    'Browser tests: skipped on the PostgreSQL pass (they run a server on SQLite; `npm test` runs them).',
  );
  process.exit(0);
}

const missing: string[] = [];
if (!fs.existsSync(chromium)) missing.push(`Chromium at ${chromium}`);
let fonts = '';
try {
  fonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
} catch {
  // No fontconfig: no font either.
}
if (!fonts.trim()) missing.push('a Chinese font');

if (missing.length) {
  const how =
    `Browser tests: not run — this machine has no ${missing.join(' and no ')}.\n` +
    'Get them with: apt-get install -y chromium fonts-wqy-zenhei (or point CHROMIUM_PATH at another Chromium), then npm run test:browser.';
  if (process.env.CI) {
    console.error(how);
    process.exit(1);
  }
  console.log(how);
  process.exit(0);
}

const run = spawnSync('npx', ['playwright', 'test'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
