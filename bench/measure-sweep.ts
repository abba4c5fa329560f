/**
 * A 16-combination sweep against the same 16 combinations run as separate backtests, back to back in one
 * process, on the universe (2,046 tickers × 10 days; `--tickers N` takes its first N tickers): the
 * opening-range breakout (SQL: or_bars × vol_mult), vwap-reclaim (module: minBars) and the breakout with only
 * trade rules varying (stopPct × targetPct: one scan shared by all 16). Goals (issue 16): ≥ 2×, ≥ 4×, ≥ 10×.
 * Results go to ':memory:'; each case checks that the sweep's signals and trades equal the separate runs'.
 *
 * The engine measured is the compiled one users run (`npm run build` first: bench/lib/compiled-engine.ts).
 *
 *   npm run build && node --import tsx bench/measure-sweep.ts [--db FILE] [--tickers N] [--threads T] [--only sql,module,trade]
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BacktestOptions, RunResult, SweepValue } from '../src/index.js';
import { loadCompiledEngine } from './lib/compiled-engine.js';
import { readArg as arg, readUniverseArgs } from './lib/bench-args.js';
import { machineInfo } from './lib/machine-info.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { runBacktest, runSweep } = await loadCompiledEngine();
const { db, tickers } = readUniverseArgs();
const threads = Number(arg('threads') ?? 2);
const only = arg('only')?.split(',');

interface Case {
  name: string;
  goal: number;
  scanner: string;
  grid: Record<string, SweepValue[]>;
}
const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');
const CASES: Case[] = [
  { name: 'sql', goal: 2, scanner: ORB, grid: { or_bars: [3, 6, 9, 12], vol_mult: [1, 1.5, 2, 2.5] } },
  { name: 'module', goal: 4, scanner: path.join(ROOT, 'scanners', 'vwap-reclaim.ts'), grid: { minBars: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18] } },
  { name: 'trade', goal: 10, scanner: ORB, grid: { 'trade.stopPct': [0.5, 1, 1.5, 2], 'trade.targetPct': [1, 2, 3, 4] } },
];

/** A combination as backtest options: scanner parameters and trade rules. */
function toOptions(values: Record<string, SweepValue>): Pick<BacktestOptions, 'params' | 'trade'> {
  const params: Record<string, SweepValue> = {};
  const trade: Record<string, SweepValue> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith('trade.')) trade[k.slice(6)] = v;
    else params[k] = v;
  }
  return { params, trade };
}

const digest = (r: RunResult) => createHash('sha256').update(JSON.stringify([r.signals, r.trades, r.stats])).digest('hex').slice(0, 12);

console.log(`# sweep bench: ${tickers.length} tickers of ${path.basename(db)}, ${threads} threads; ${JSON.stringify(await machineInfo())}`);
// CPU time (user + system, every thread of the process) beside wall time: on a machine shared with other work,
// wall-time ratios move with the load, the work done far less.
console.log('case | combinations | distinct signal sets | sweep s | 16 runs s | speedup (wall) | sweep CPU s | 16 runs CPU s | speedup (CPU) | goal | equal');
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const base = { db, scanner: '', tickers, threads, resultsDb: ':memory:' };
for (const c of CASES) {
  if (only && !only.includes(c.name)) continue;
  let t = performance.now();
  let cpu = process.cpuUsage();
  const sweep = await runSweep({ ...base, scanner: c.scanner, grid: c.grid });
  const sweepMs = performance.now() - t;
  const sweepCpu = cpuSeconds(process.cpuUsage(cpu));
  t = performance.now();
  cpu = process.cpuUsage();
  const alone: RunResult[] = [];
  for (const combination of sweep.combinations) alone.push(await runBacktest({ ...base, scanner: c.scanner, ...toOptions(combination.values) }));
  const runsMs = performance.now() - t;
  const runsCpu = cpuSeconds(process.cpuUsage(cpu));
  const equal = sweep.combinations.every((x, i) => digest(x.result) === digest(alone[i]));
  const scans = new Set(sweep.combinations.map((x) => JSON.stringify(x.result.signals))).size;
  console.log(`${c.name} | ${sweep.combinations.length} | ${scans} | ${(sweepMs / 1000).toFixed(1)} | ${(runsMs / 1000).toFixed(1)} | ${(runsMs / sweepMs).toFixed(1)}× | ${sweepCpu.toFixed(1)} | ${runsCpu.toFixed(1)} | ${(runsCpu / sweepCpu).toFixed(1)}× | ≥ ${c.goal}× | ${equal}`);
}
