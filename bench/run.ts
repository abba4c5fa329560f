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
import { ensureMarket, tickerName, tradingDates, WORKLOADS, type MarketSpec } from './lib/generate-market.js';
import { machineInfo } from './lib/machine-info.js';
import { median, runTrial, type TrialResult } from './lib/run-trial.js';
import { renderMarkdown, type BenchReport, type PerStepRow, type Row } from './lib/render-report.js';
import { measureStartup } from './lib/measure-startup.js';
import { engineTrial, findPandasPython, floorTrial, pandasTrial, runGoalTrials, TRADE_ARGS, type GoalTrial } from './lib/goal-trials.js';
import { assessGoals } from './lib/render-goals.js';
import { ensureRealStore } from './lib/real-store.js';

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
  .option('references', { type: 'boolean', describe: 'Measure the universe with 2 reference tickers against none, back to back [default: on, off with --quick]' })
  .option('trade', { type: 'boolean', describe: 'Measure the universe with --trade against without, alternating, back to back [default: on, off with --quick]' })
  .option('scanners', { type: 'string', describe: 'Comma list from sql,module [default: both]' })
  .option('goals', { type: 'boolean', describe: "The issue's goals: floors, pandas peer, --trade, start-up, on the universe and the real data [default: on; --quick checks floors and peer on small]" })
  .option('warm-up', { type: 'boolean', default: true, describe: 'A discarded warm-up run (goal trials: a round) before the timed ones; --no-warm-up halves a --repeats 1 run' })
  .option('only', { choices: ['references', 'startup', 'trade', 'goals'] as const, describe: 'Run only this part of the suite' })
  .option('write', { type: 'boolean', describe: 'Write bench/results/<date>-<host>.{json,md} [default: on, off with --quick]' })
  .strict()
  .parseAsync();

const quick = argv.quick;
const only = argv.only;
const workloadNames = only ? [] : (argv.workloads ?? (quick ? 'bundled,small' : 'bundled,small,medium,universe')).split(',');
const scannerNames = (argv.scanners ?? Object.keys(SCANNERS).join(',')).split(',');
const scanners = Object.entries(SCANNERS).filter(([kind]) => scannerNames.includes(kind));
const threadCounts = (argv.threads ?? (quick ? '1,2' : '1,2,4,8')).split(',').map(Number);
const repeats = argv.repeats ?? (quick ? 1 : 3);
const scale = !only && (argv.scale ?? !quick);
const withReferences = only === 'references' || (!only && (argv.references ?? !quick));
const withTrade = only === 'trade' || (!only && (argv.trade ?? !quick));
const withStartup = only === 'startup' || only === 'goals' || (!only && !quick);
const withGoals = only === 'goals' || (!only && (argv.goals ?? true));
const write = argv.write ?? (!quick && !only);

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
const report: BenchReport = { date: new Date().toISOString(), quick, repeats, machine: info, rows: [], scale: [], perStep: [], references: [], startup: [], naive: null, failures: [] };
console.error(`barwise bench on ${info.cpu} (${info.cores} cores), Node ${info.node}, SQLite ${info.sqlite}; ${repeats} repeat(s) after a warm-up`);

for (const name of workloadNames) {
  const { db, label } = await workloadDb(name);
  for (const [kind, scanner] of scanners) {
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

// Reference tickers: the universe with 2 references (its first two tickers) against none, back to back,
// same scanner and threads. Both scanners filter by ticker, so references must not change their signals.
if (withReferences) {
  const db = ensureMarket(WORKLOADS.universe);
  const refs = [tickerName(0), tickerName(1)];
  for (const [kind, scanner] of scanners) {
    const without = await measure(db, scanner, 2);
    const withRefs = await measure(db, scanner, 2, ['--references', refs.join(',')]);
    const row = { scanner: kind, references: refs, without_ms: without.wall_ms, with_ms: withRefs.wall_ms, ratio: withRefs.wall_ms / without.wall_ms, steps: withRefs.steps };
    (report.references ??= []).push(row);
    console.error(`  universe ${kind}, 2 threads: ${row.without_ms} ms without references, ${row.with_ms} ms with ${refs.join(',')}: x${row.ratio.toFixed(2)}`);
    if (without.signals_sha256 !== withRefs.signals_sha256) report.failures.push(`universe/${kind}: references changed the signals of a scanner that reads only its own ticker`);
  }
}

// Trading the signals: the universe with --trade against without, same scanner and threads, alternating which
// runs first after a warm-up of each, so both see the same load. Trading must not change the signals.
if (withTrade) {
  const db = ensureMarket(WORKLOADS.universe);
  for (const [kind, scanner] of scanners) {
    const samples = { without: [] as TrialResult[], with: [] as TrialResult[] };
    for (let i = -1; i < repeats; i++) {
      for (const variant of i % 2 === 0 ? ['with', 'without'] as const : ['without', 'with'] as const) {
        const r = await runTrial({ db, scanner, threads: 2, extraArgs: variant === 'with' ? ['--trade'] : [] });
        if (i >= 0) samples[variant].push(r); // i = -1: warm-up of each
      }
    }
    const wall = (v: TrialResult[]) => median(v.map((t) => t.wall_ms));
    const cpu = (v: TrialResult[]) => median(v.map((t) => t.cpu_ms));
    const row = {
      scanner: kind, without_ms: wall(samples.without), with_ms: wall(samples.with), ratio: wall(samples.with) / wall(samples.without),
      without_cpu_ms: cpu(samples.without), with_cpu_ms: cpu(samples.with), cpu_ratio: cpu(samples.with) / cpu(samples.without), steps: samples.with[0].steps,
    };
    (report.trade ??= []).push(row);
    console.error(`  universe ${kind}, 2 threads: ${row.without_ms} ms without --trade, ${row.with_ms} ms with: x${row.ratio.toFixed(3)} wall, x${row.cpu_ratio.toFixed(3)} CPU`);
    const hashes = new Set([...samples.without, ...samples.with].map((t) => t.signals_sha256));
    if (hashes.size > 1) report.failures.push(`universe/${kind}: --trade changed the signals (or they differ between repeats)`);
  }
}

// Start-up: compiled against the tsx path, back to back (see lib/measure-startup.ts). Five runs each at least:
// a start-up is short, so one slow run moves a median of three.
if (withStartup) {
  const tiny = ensureMarket({ name: 'startup', tickers: 1, days: 1 });
  const backtest = ['backtest', '--db', tiny, '--scanner', SCANNERS.sql, '--threads', '1', '--results-db', ':memory:', '--no-progress'];
  report.startup = await measureStartup({ '--help': ['--help'], 'backtest 1 ticker x 1 day': backtest }, Math.max(repeats, 5));
  for (const x of report.startup) console.error(`  start-up: ${x.command}, ${x.variant}: ${x.wall_ms} ms wall, ${x.cpu_ms} ms CPU (median of ${x.runs})`);
}

// Per-step cost, naive vs realtime. Naive pays a process start per bar, so it runs on a sample (one
// ticker-day of the small workload, later bars only via a high warmup) and is compared per step; realtime
// runs the whole small workload. One run each, single thread, --signals all so every bar is a step.
if (!quick && !only) {
  const small = ensureMarket(WORKLOADS.small);
  const d0 = tradingDates(1)[0];
  const sample = ['--tickers', tickerName(0), '--from', d0, '--to', d0, '--signals', 'all'];
  const perStep = async (scanner: string, extra: string[]) => {
    const r = await runTrial({ db: small, scanner, threads: 1, extraArgs: extra });
    return { us: (r.scan_ms * 1000) / r.steps, steps: r.steps };
  };
  const rows: PerStepRow[] = [];
  for (const [kind, scanner] of scanners) {
    const realtime = await perStep(scanner, ['--signals', 'all']);
    const naive = await perStep(scanner, [...sample, '--mode', 'naive', '--warmup', '48']);
    rows.push({ scanner: kind, variant: 'realtime (in-worker)', ...realtime }, { scanner: kind, variant: 'naive (process per bar)', ...naive, ratio: naive.us / realtime.us });
  }
  for (const script of ['scanners/legacy/persistent-momentum.ts', 'scanners/legacy/persistent_momentum.py']) {
    const name = path.basename(script);
    const persistent = await perStep(script, ['--signals', 'all', '--persistent']);
    const spawn = await perStep(script, [...sample, '--no-persistent', '--warmup', '60']);
    const naive = await perStep(script, [...sample, '--mode', 'naive', '--warmup', '60']);
    rows.push(
      { scanner: name, variant: 'realtime, persistent', ...persistent },
      { scanner: name, variant: 'realtime, spawn per step', ...spawn, ratio: spawn.us / persistent.us },
      { scanner: name, variant: 'naive', ...naive, ratio: naive.us / persistent.us },
    );
  }
  report.perStep = rows;
  const sqlNaive = rows.find((x) => x.scanner === 'sql' && x.ratio);
  report.naive = sqlNaive
    ? { status: 'measured', realtime_step_us: rows[0].us, naive_step_us: sqlNaive.us, ratio: sqlNaive.ratio }
    : { status: 'pending', note: 'not run without the SQL scanner (--scanners)' };
  for (const x of rows) console.error(`  per step: ${x.scanner} ${x.variant}: ${x.us.toFixed(1)} us over ${x.steps} steps${x.ratio ? ` (x${Math.round(x.ratio)})` : ''}`);
} else {
  report.naive = { status: 'pending', note: only ? `not run with --only ${only}` : 'not run with --quick (a process per bar)' };
}

// The goals: ratios of trials run round-robin (lib/goal-trials.ts). --quick runs the checks only (floors and
// peer give barwise's steps, signals and trades) on the small workload, one round, no warm-up.
if (withGoals) {
  const python = findPandasPython();
  const skipped: Record<string, string> = {};
  if (!python) {
    skipped.pandas = 'skipped: no python3 with pandas and numpy (Debian: apt install python3-pandas)';
    console.error(`  pandas peer ${skipped.pandas}`);
  }
  const sql = SCANNERS.sql;
  const mod = SCANNERS.module;
  const goalRepeats = quick ? 1 : repeats;
  const rows = [];
  const uni = quick ? ensureMarket(WORKLOADS.small) : ensureMarket(WORKLOADS.universe);
  const trials: GoalTrial[] = quick
    ? [
      engineTrial('sql-1-trade', 'barwise SQL, 1 thread, --trade', uni, sql, 1, TRADE_ARGS),
      floorTrial('floor-sqlite', 'SQLite day-DB floor, 1 thread', 'sqlite', uni, sql, 'sql-1-trade'),
      engineTrial('module-1', 'barwise module, 1 thread', uni, mod, 1),
      floorTrial('floor-js', 'JS floor, 1 thread', 'js', uni, mod, 'module-1'),
      ...(python ? [pandasTrial('pandas', 'pandas peer (scan + trades)', python, uni, sql, 'sql-1-trade')] : []),
    ]
    : [
      engineTrial('sql-1', 'barwise SQL, 1 thread', uni, sql, 1),
      engineTrial('sql-2', 'barwise SQL, 2 threads', uni, sql, 2),
      engineTrial('sql-2-trade', 'barwise SQL, 2 threads, --trade', uni, sql, 2, TRADE_ARGS),
      floorTrial('floor-sqlite', 'SQLite day-DB floor, 1 thread', 'sqlite', uni, sql, 'sql-1'),
      engineTrial('module-1', 'barwise module, 1 thread', uni, mod, 1),
      engineTrial('module-2', 'barwise module, 2 threads', uni, mod, 2),
      engineTrial('module-2-all', 'barwise module, 2 threads, --signals all', uni, mod, 2, ['--signals', 'all']),
      floorTrial('floor-js', 'JS floor, 1 thread', 'js', uni, mod, 'module-1'),
      ...(python ? [pandasTrial('pandas', 'pandas peer (scan + trades)', python, uni, sql, 'sql-2-trade')] : []),
    ];
  const log = (line: string) => console.error(line);
  rows.push(...await runGoalTrials(quick ? 'small' : 'universe', trials, goalRepeats, report.failures, log, !quick && argv.warmUp));
  if (!quick) {
    const real = await ensureRealStore();
    if (real.db === null) {
      skipped.real = `skipped: ${real.why}`;
      console.error(`  real data ${skipped.real}`);
    } else if (python) {
      rows.push(...await runGoalTrials('real', [
        engineTrial('sql-2-trade', 'barwise SQL, 2 threads, --trade', real.db, sql, 2, TRADE_ARGS),
        pandasTrial('pandas', 'pandas peer (scan + trades)', python, real.db, sql, 'sql-2-trade'),
      ], goalRepeats, report.failures, log, argv.warmUp));
    }
  }
  report.goalTrials = rows;
  report.goals = quick ? [] : assessGoals(rows, report.startup, skipped);
  for (const g of report.goals) console.error(`  goal: ${g.goal}: ${g.measured} (target ${g.target})${g.met === false ? ' NOT MET' : ''}`);
}

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
  console.error(`bench: signal hashes identical across thread counts for every workload (${report.rows.length} trials); floors and peer agree with barwise (${report.goalTrials?.length ?? 0} goal trials)`);
}
