/**
 * `npm run soak -- [--minutes 30] [--tickers 2046] [--days 10] [--threads N]`: repeated universe runs with a
 * scanner that fails on a random 1% of ticker-days, for --minutes. Not part of CI.
 *
 * After a clean run (no failures) as the reference, every run must: keep every successful ticker-day's
 * signals exactly as the clean run has them; fail only with the scanner's own error; leave no temp directory
 * and no more open file descriptors than before; and memory (RSS after a GC) must stay flat. Prints one line
 * per run and a verdict; exits 1 when any check fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import { runBacktest } from '../src/index.js';
import type { Signal } from '../src/types.js';
import { ensureMarket } from './lib/generate-market.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    tickers: { type: 'string', default: '2046' },
    days: { type: 'string', default: '10' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    rate: { type: 'string', default: '0.01' },
  },
});
const minutes = Number(values.minutes);
const spec = { name: 'universe', tickers: Number(values.tickers), days: Number(values.days) };
const threads = Number(values.threads);
const SCANNER = new URL('./soak/flaky-scanner.ts', import.meta.url).pathname;
/** RSS growth (MB) between the first and last quarter of runs that counts as a leak. */
const RSS_LIMIT_MB = 64;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const db = ensureMarket(spec);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-soak-'));
const tmpRoot = path.join(work, 'tmp');
fs.mkdirSync(tmpRoot);
process.env.TMPDIR = tmpRoot; // the runs' temp directories go here, so leftovers are seen
const resultsDb = path.join(work, 'results.db');

const openFds = () => fs.readdirSync('/proc/self/fd').length;
const tempLeft = () => fs.readdirSync(tmpRoot).filter((f) => f.startsWith('barwise-'));
const rssMb = () => {
  gc();
  return process.memoryUsage().rss / 2 ** 20;
};
const byDay = (signals: Signal[]) => {
  const m = new Map<string, string>();
  for (const s of signals) {
    const k = `${s.ticker} ${s.signal_date}`;
    m.set(k, (m.get(k) ?? '') + JSON.stringify(s) + '\n');
  }
  return m;
};

async function run(rate: number) {
  process.env.SOAK_FAIL_RATE = String(rate); // workers copy the environment when they start, once per run
  return runBacktest({ db, scanner: SCANNER, threads, signals: 'all', resultsDb });
}

console.log(`soak: ${spec.tickers} tickers x ${spec.days} days, ${threads} threads, ${minutes} min, failure rate ${values.rate}`);
const clean = await run(0);
if (clean.failures.length > 0) throw new Error(`the clean run failed: ${JSON.stringify(clean.failures[0])}`);
const reference = byDay(clean.signals);
const fds0 = openFds();
console.log(`clean run: ${clean.run.counts.ticker_days} ticker-days, ${clean.signals.length} signals, ${(clean.run.timings.wall_ms / 1000).toFixed(1)} s; fds ${fds0}`);

const problems: string[] = [];
const rss: number[] = [];
const deadline = Date.now() + minutes * 60_000;
for (let i = 1; Date.now() < deadline; i++) {
  const r = await run(Number(values.rate));
  const failed = new Set(r.failures.map((f) => `${f.ticker} ${f.date}`));
  for (const f of r.failures) {
    if (f.code !== 'SCANNER_THREW' || f.message !== 'soak: random failure') problems.push(`run ${i}: unexpected failure ${JSON.stringify(f)}`);
  }
  const got = byDay(r.signals);
  let mismatched = 0;
  for (const [day, text] of reference) if (!failed.has(day) && got.get(day) !== text) mismatched++;
  for (const day of got.keys()) if (!reference.has(day)) mismatched++;
  if (mismatched > 0) problems.push(`run ${i}: ${mismatched} successful ticker-day(s) differ from the clean run`);
  const left = tempLeft();
  if (left.length > 0) problems.push(`run ${i}: temp entries left: ${left.join(', ')}`);
  const fds = openFds();
  if (fds > fds0) problems.push(`run ${i}: ${fds - fds0} more open file descriptors than after the clean run`);
  rss.push(rssMb());
  console.log(`run ${i}: ${r.run.counts.ticker_days} ticker-days, ${r.failures.length} failed (${((100 * r.failures.length) / r.run.counts.ticker_days).toFixed(2)}%), `
    + `${r.signals.length} signals, ${(r.run.timings.wall_ms / 1000).toFixed(1)} s, rss ${rss[rss.length - 1].toFixed(0)} MB, fds ${fds}, temp ${left.length}, mismatched days ${mismatched}`);
}

const q = Math.max(1, Math.floor(rss.length / 4));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const growth = rss.length >= 4 ? median(rss.slice(-q)) - median(rss.slice(0, q)) : 0;
if (growth > RSS_LIMIT_MB) problems.push(`RSS grew by ${growth.toFixed(0)} MB from the first to the last quarter of runs`);
console.log(`\n${rss.length} runs; RSS first quarter ${rss.length ? median(rss.slice(0, q)).toFixed(0) : '-'} MB, last quarter ${rss.length ? median(rss.slice(-q)).toFixed(0) : '-'} MB (growth ${growth.toFixed(1)} MB${rss.length < 4 ? ', too few runs to judge' : ''})`);
fs.rmSync(work, { recursive: true, force: true });
if (problems.length > 0) {
  console.log(`FAILED:\n${problems.slice(0, 20).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('OK: every successful ticker-day equals the clean run; no temp files or file descriptors leaked');
}
