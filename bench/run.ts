// npm run bench: seeds a temporary database (SQLite, and PostgreSQL when BENCH_POSTGRES_URL is
// set), serves the real app next to a bare Fastify route, loads each scenario with autocannon
// and prints req/s, latency and the ratio to the bare route. Targets missed are reported, not
// failed: the exit code is non-zero only when something broke.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { createPii, loadPiiKey } from '../src/platform/pii.js';
import { startBareApp } from './bare-app.js';
import { type BenchDatabase, createPostgresDatabase, createSqliteDatabase } from './bench-database.js';
import { cleanUpOnSignals, withCleanup } from './cleanup.js';
import { prepareFixtures } from './fixtures.js';
import { CONNECTIONS, measure } from './measure.js';
import { probe } from './probe.js';
import { type BenchReport, machineInfo, printReport, type ScenarioResult } from './report.js';
import { BARE_SCENARIO, buildScenarios } from './scenarios.js';
import { type BenchSettings, readSettings } from './settings.js';
import { describeTarget, meetsTarget } from './targets.js';

// BENCH-ONLY DEVELOPMENT KEY: encrypts synthetic data in a throwaway database. Never use it
// anywhere else.
const BENCH_PII_KEY = 'beefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeefbeef';
const RESULTS_DIR = fileURLToPath(new URL('../.bench/', import.meta.url));

async function benchDatabase(database: BenchDatabase, settings: BenchSettings): Promise<BenchReport> {
  const label = database.label;
  const startedAt = new Date().toISOString();
  const config: Config = loadConfig(
    { NODE_ENV: 'production' },
    {
      databaseUrl: database.url,
      piiKey: BENCH_PII_KEY,
      logLevel: 'silent',
      host: '127.0.0.1',
      port: 0,
      demo: false,
    },
  );
  const pii = createPii(loadPiiKey(config.piiKey, config.dataDir));
  const fixtures = await prepareFixtures(config, pii, { orders: settings.orders, label });

  const app = await buildApp(config);
  const closeApp = withCleanup(() => app.close());
  const bare = await startBareApp();
  const closeBare = withCleanup(() => bare.app.close());
  try {
    await app.listen({ host: config.host, port: config.port });
    const appUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const scenarios = buildScenarios(fixtures, Date.now());
    const measured: Array<Omit<ScenarioResult, 'ratio' | 'verdict'>> = [];
    for (const scenario of scenarios) {
      const baseUrl = scenario.server === 'bare' ? bare.url : appUrl;
      await probe(baseUrl, scenario);
      process.stderr.write(
        `[${label}] ${scenario.name}: ${settings.warmupSeconds} s warm-up, ${settings.seconds} s measured…`,
      );
      await measure(baseUrl, scenario, settings.warmupSeconds);
      const m = await measure(baseUrl, scenario, settings.seconds);
      process.stderr.write(` ${Math.round(m.rps)} req/s\n`);
      const [first] = scenario.requests;
      measured.push({
        ...m,
        name: scenario.name,
        request: `${scenario.method} ${first?.path ?? ''}`,
        rotatingOver: scenario.requests.length,
        target: scenario.target ? describeTarget(scenario.target) : null,
        valid: m.non2xx === 0 && m.errors === 0 && m.mismatches === 0,
      });
    }
    const bareRps = measured.find((r) => r.name === BARE_SCENARIO)?.rps ?? Number.NaN;
    return {
      database: { label, version: fixtures.databaseVersion, where: database.where },
      machine: machineInfo(),
      loadGenerator: `autocannon in one worker thread of this process, sharing the machine's cores with the servers`,
      orders: settings.orders,
      seedSeconds: fixtures.seedSeconds,
      connections: CONNECTIONS,
      warmupSeconds: settings.warmupSeconds,
      seconds: settings.seconds,
      startedAt,
      results: measured.map((r, i) => {
        const ratio = r.rps / bareRps;
        const target = scenarios[i]?.target;
        return {
          ...r,
          ratio,
          verdict: target ? (meetsTarget(target, { rps: r.rps, ratio, p99: r.p99 }) ? 'PASS' : 'MISS') : null,
        };
      }),
    };
  } finally {
    await closeBare();
    await closeApp();
  }
}

const settings = readSettings(process.env);
cleanUpOnSignals();
const databases: Array<() => Promise<BenchDatabase>> = [async () => createSqliteDatabase()];
const postgresUrl = settings.postgresUrl;
if (postgresUrl) databases.push(() => createPostgresDatabase(postgresUrl));

let invalid = 0;
for (const create of databases) {
  const database = await create();
  const drop = withCleanup(() => database.drop());
  try {
    const report = await benchDatabase(database, settings);
    printReport(report);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `results-${database.label}.json`);
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), file)}`);
    invalid += report.results.filter((r) => !r.valid).length;
  } finally {
    await drop();
  }
}
if (invalid > 0) {
  console.error(`${invalid} scenario(s) received error answers under load: their figures are not valid.`);
  process.exitCode = 1;
}
