/**
 * The cost of the market-data fingerprint (src/plan/fingerprint-market.ts) on the 2,046-ticker × 10-day
 * universe: one SQL aggregate over the bars the run reads. Compared back to back with reading those bars
 * once (what the run itself must do at least), with the same measured a slice of tickers at a time as a run
 * does beside its scan (measure-market-stepwise.ts: CPU of this thread, since it gives the event loop back)
 * and with the whole of resolveRun. Setup (generating the market, warming the page cache) is outside the timed
 * part. `node --import tsx bench/measure-fingerprint.ts`
 */
import { performance } from 'node:perf_hooks';
import { openMarketStore } from '../src/data/market-store.js';
import { exchangeDayStartMs, nextDate } from '../src/data/exchange-time.js';
import { fingerprintMarket } from '../src/plan/fingerprint-market.js';
import { measureMarketStepwise } from '../src/plan/measure-market-stepwise.js';
import { resolveRun } from '../src/plan/resolve-run.js';
import { ensureMarket, tradingDates, WORKLOADS } from './lib/generate-market.js';

const TRIALS = 5;
const db = ensureMarket(WORKLOADS.universe);
const dates = tradingDates(WORKLOADS.universe.days);
const [from, to] = [dates[0], dates[dates.length - 1]];
const store = openMarketStore(db);
const tickers = store.listTickers('5min');
const context = { references: [], lookbackDays: 0, dailyBars: 0 };
const scan = store.db.prepare('SELECT COUNT(*), SUM(close) FROM ohlcv_data WHERE timeframe = ? AND timestamp >= ? AND timestamp < ?');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

fingerprintMarket(store, { tickers, from, to, timeframe: '5min' }, context); // warm the page cache
const fp: number[] = [];
const read: number[] = [];
const fpCpu: number[] = [];
const stepwiseCpu: number[] = [];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let slices = 0;
for (let i = 0; i < TRIALS; i++) {
  const c0 = cpuMs();
  fp.push(time(() => fingerprintMarket(store, { tickers, from, to, timeframe: '5min' }, context)));
  fpCpu.push(cpuMs() - c0);
  read.push(time(() => scan.get('5min', exchangeDayStartMs(from), exchangeDayStartMs(nextDate(to)))));
  const c1 = cpuMs();
  slices = 0;
  await measureMarketStepwise(db, { tickers, from, to, timeframe: '5min' }, context, () => slices++);
  stepwiseCpu.push(cpuMs() - c1);
}
const bars = store.db.prepare('SELECT COUNT(*) FROM ohlcv_data').pluck().get() as number;
store.close();
const plan: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await resolveRun({ db, scanner: new URL('../scanners/opening-range-breakout.sql', import.meta.url).pathname, resultsDb: ':memory:' });
  plan.push(performance.now() - t);
}
console.log(JSON.stringify({
  workload: `universe ${tickers.length} tickers x ${dates.length} days`,
  bars,
  fingerprint_ms: Math.round(median(fp)),
  plain_scan_ms: Math.round(median(read)),
  ratio_to_plain_scan: Math.round((median(fp) / median(read)) * 100) / 100,
  fingerprint_cpu_ms: Math.round(median(fpCpu)),
  stepwise_cpu_ms: Math.round(median(stepwiseCpu)),
  stepwise_slices: slices,
  resolve_run_ms: Math.round(median(plan)),
}));
