import os from 'node:os';
import type { Measurement } from './measure.js';

export interface ScenarioResult extends Measurement {
  name: string;
  /** The first request; `rotatingOver` of them are sent in turn. */
  request: string;
  rotatingOver: number;
  /** req/s ÷ the bare route's req/s in the same run. */
  ratio: number;
  target: string | null;
  verdict: 'PASS' | 'MISS' | null;
  /** No non-2xx, no connection error, every body a success: otherwise the figures mean nothing. */
  valid: boolean;
}

export interface BenchReport {
  database: { label: string; version: string; where: string };
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  loadGenerator: string;
  orders: number;
  seedSeconds: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  startedAt: string;
  results: ScenarioResult[];
}

export function machineInfo(): BenchReport['machine'] {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

export function printReport(report: BenchReport): void {
  const { machine, database } = report;
  const lines = [
    '',
    `## ${database.label}: ${report.orders.toLocaleString('en')} orders (seeded in ${report.seedSeconds.toFixed(1)} s), ` +
      `${report.connections} connections, ${report.seconds} s per scenario after ${report.warmupSeconds} s of warm-up`,
    `machine:   ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.platform}`,
    `database:  ${database.version} at ${database.where}`,
    `load:      ${report.loadGenerator}`,
    '',
  ];
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'not ok', '× bare', 'target', 'result'];
  const rows = report.results.map((r) => [
    r.name,
    Math.round(r.rps).toLocaleString('en'),
    String(r.p50),
    String(r.p99),
    String(r.non2xx),
    String(r.mismatches + r.errors),
    r.ratio.toFixed(3),
    r.target ?? '',
    r.valid ? (r.verdict ?? '') : 'INVALID (error answers)',
  ]);
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric.has(i) ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(format(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) lines.push(format(row));
  lines.push(
    '',
    'not ok = connection errors + answers that are not a success; × bare = req/s ÷ the bare route in this run.',
  );
  console.log(lines.join('\n'));
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u;

/** Terminal columns: CJK characters take two. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += WIDE.test(char) ? 2 : 1;
  return columns;
}

function padEnd(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - width(text)));
}

function padStart(text: string, columns: number): string {
  return ' '.repeat(Math.max(0, columns - width(text))) + text;
}
