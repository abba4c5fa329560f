/**
 * `npm run bench`: barwise's speed, measured. Trials are data (below); each runs the real CLI in a fresh
 * process, after one discarded warm-up, repeated, reporting medians. Variants are compared back to back in
 * one run and reported as ratios beside absolute times. The suite fails only if the signal list changes
 * with the thread count; speed targets are reported, not asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ensureBundledStore } from '../src/data/bundled-store.js';
import { ensureMarket, WORKLOADS, type MarketSpec } from './lib/generate-market.js';
import { machineInfo } from './lib/machine-info.js';
import { median, runTrial, type TrialResult } from './lib/run-trial.js';
import { renderMarkdown, type BenchReport, type Row } from './lib/render-report.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export const SCANNERS = {
  sql: 'scanners/opening-range-breakout.sql',
  module: 'scanners/vwap-reclaim.ts',
} as const;

const argv = await yargs(hideBin(process.argv))
  .option('quick', { type: 'boolean', default: false, describe: 'CI smoke run: small workloads, 1 and 2 threads, one repeat' })
  .option('workloads', { type: 'string', describe: 'Comma list from bundled,small,medium,universe' })
  .option('threads', { type: 'string', describe: 'Comma list of thread counts' })
  .option('repeats', { type: 'number', describe: 'Timed repeats per trial (after one warm-up)' })
  .option('scale', { type: 'boolean', describe: 'Also run the universe at 5, 10 and 20 days (memory flatness)' })
  .option('write', { type: 'boolean', describe: 'Write bench/results/<date>-<host>.{json,md} [default: on, off with --quick]' })
  .strict()
  .parseAsync();

const quick = argv.quick;
const workloadNames = (argv.workloads ?? (quick ? 'bundled,small' : 'bundled,small,medium,universe')).split(',');
const threadCounts = (argv.threads ?? (quick ? '1,2' : '1,2,4,8')).split(',').map(Number);
const repeats = argv.repeats ?? (quick ? 1 : 3);
const scale = argv.scale ?? !quick;
const write = argv.write ?? !quick;

async function workloadDb(name: string): Promise<{ db: string; label: string }> {
  if (name === 'bundled') return { db: await ensureBundledStore(), label: 'bundled real data (7 tickers x 29 days)' };
  const spec = (WORKLOADS as Record<string, MarketSpec>)[name];
  if (!spec) throw new Error(`unknown workload "${name}"`);
  return { db: ensureMarket(spec), label: `${name} (${spec.tickers} tickers x ${spec.days} days x 78 bars)` };
}

async function measure(db: string, scanner: string, threads: number, extraArgs: string[] = []): Promise<TrialResult & { runs: number[] }> {
  await runTrial({ db, scanner, threads, extraArgs }); // warm-up, discarded (OS caches, tsx compile cache)
  const trials: TrialResult[] = [];
  for (let i = 0; i < repeats; i++) trials.push(await runTrial({ db, scanner, threads, extraArgs }));
  const walls = trials.map((t) => t.wall_ms);
  const hashes = new Set(trials.map((t) => t.signals_sha256));
  if (hashes.size > 1) throw new Error(`signals differ between repeats of the same trial (${scanner}, ${threads} threads)`);
  return { ...trials[0], wall_ms: median(walls), scan_ms: median(trials.map((t) => t.scan_ms)), peak_rss_mb: Math.max(...trials.map((t) => t.peak_rss_mb)), runs: walls };
}

const info = await machineInfo();
const report: BenchReport = { date: new Date().toISOString(), quick, repeats, machine: info, rows: [], scale: [], naive: null, failures: [] };
console.error(`barwise bench on ${info.cpu} (${info.cores} cores), Node ${info.node}, SQLite ${info.sqlite}; ${repeats} repeat(s) after a warm-up`);

for (const name of workloadNames) {
  const { db, label } = await workloadDb(name);
  for (const [kind, scanner] of Object.entries(SCANNERS)) {
    let base: number | null = null;
    const hashes = new Map<number, string>();
    for (const threads of threadCounts) {
      const r = await measure(db, scanner, threads);
      base ??= r.wall_ms;
      hashes.set(threads, r.signals_sha256);
      const row: Row = {
        workload: name, label, scanner: kind, threads, wall_ms: r.wall_ms, runs: r.runs, scan_ms: r.scan_ms,
        ticker_days: r.ticker_days, steps: r.steps, signals: r.signals,
        ticker_days_per_s: Math.round((r.ticker_days * 1000) / r.wall_ms),
        steps_per_s: Math.round((r.steps * 1000) / r.wall_ms),
        scan_steps_per_s: Math.round((r.steps * 1000) / r.scan_ms),
        peak_rss_mb: r.peak_rss_mb,
        speedup: base / r.wall_ms,
        efficiency: base / r.wall_ms / Math.min(threads, info.cores),
        signals_sha256: r.signals_sha256,
      };
      report.rows.push(row);
      console.error(`  ${name.padEnd(9)} ${kind.padEnd(6)} ${String(threads).padStart(2)} threads  ${String(row.wall_ms).padStart(7)} ms  ${row.steps_per_s.toLocaleString('en-US').padStart(9)} steps/s  x${row.speedup.toFixed(2)}  ${row.peak_rss_mb} MB  ${row.signals_sha256.slice(0, 12)}`);
    }
    if (new Set(hashes.values()).size > 1) {
      report.failures.push(`${name}/${kind}: the signal list differs between thread counts: ${[...hashes].map(([t, h]) => `${t}=${h.slice(0, 12)}`).join(', ')}`);
    }
  }
}

if (scale) {
  for (const days of [5, 10, 20]) {
    const db = ensureMarket({ name: 'universe', tickers: 2046, days });
    const r = await measure(db, SCANNERS.sql, 2);
    report.scale.push({ days, wall_ms: r.wall_ms, steps: r.steps, peak_rss_mb: r.peak_rss_mb });
    console.error(`  universe ${days} days, sql, 2 threads: ${r.wall_ms} ms, ${r.peak_rss_mb} MB peak RSS`);
  }
}

// --mode naive arrives with legacy script support; until then the comparison is reported as pending.
report.naive = { status: 'pending', note: '--mode naive is not available yet' };

const md = renderMarkdown(report);
process.stdout.write(md);
if (write) {
  const stamp = report.date.slice(0, 10);
  const base = path.join(ROOT, 'bench', 'results', `${stamp}-${info.host}`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(`${base}.md`, md);
  console.error(`wrote ${path.relative(ROOT, base)}.json and .md`);
}
if (report.failures.length > 0) {
  for (const f of report.failures) console.error(`bench: FAILED: ${f}`);
  process.exitCode = 1;
} else {
  console.error(`bench: signal hashes identical across thread counts for every workload (${report.rows.length} trials)`);
}
