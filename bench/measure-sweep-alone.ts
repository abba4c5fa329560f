/**
 * One side of bench/measure-sweep.ts's module case alone, in its own process: the 16-combination vwap-reclaim
 * sweep (minBars 3..18) or one backtest of it (`--min-bars N`), on the universe's first `--tickers N`. Its CPU
 * time at several sizes splits a run's cost into a fixed part and a part per ticker (docs/sweeps.md "Speed").
 *
 *   node --import tsx bench/measure-sweep-alone.ts [--db FILE] [--tickers N] [--threads T] [--backtest] [--min-bars N]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBacktest, runSweep } from '../src/index.js';
import { readArg as arg, readUniverseArgs } from './lib/bench-args.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { db, tickers } = readUniverseArgs();
const threads = Number(arg('threads') ?? 2);
const backtest = process.argv.includes('--backtest');
const scanner = path.join(ROOT, 'scanners', 'vwap-reclaim.ts');
const base = { db, scanner, tickers, threads, resultsDb: ':memory:' };
const t = performance.now();
const cpu = process.cpuUsage();
if (backtest) await runBacktest({ ...base, params: { minBars: Number(arg('min-bars') ?? 6) } });
else await runSweep({ ...base, grid: { minBars: Array.from({ length: 16 }, (_, k) => 3 + k) } });
const used = process.cpuUsage(cpu);
console.log(`${backtest ? 'backtest' : 'sweep'} | ${tickers.length} tickers | wall ${((performance.now() - t) / 1000).toFixed(2)} s | CPU ${((used.user + used.system) / 1e6).toFixed(2)} s`);
