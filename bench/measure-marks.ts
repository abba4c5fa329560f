/**
 * What the portfolio pass's marks cost on the 2,046-ticker × 10-day universe with the SQL scanner (`--trade`
 * defaults; `--signals all` with BENCH_SIGNALS=all). The pass values open positions at every bar close, so the
 * run keeps, per ticker-day, the bars its candidates hold in full (bar end, close, high, low: a price path,
 * src/portfolio/price-path.ts) once for all of them, and each candidate its range of bars.
 *
 * Measured on the candidates a real run recorded, back to back in this process, against the alternative of
 * float64 marks per candidate (4 numbers per bar held, overlapping bars once per candidate: what
 * readCandidates rebuilds, so both hold the same numbers):
 *  - the results file VACUUMed three ways: without marks, with float64 marks per candidate (the candidates
 *    table's marks column with each record as JSON, version 3's layout), with price paths (run_days.prices);
 *  - the bytes a worker ships and the time to copy them across a thread (structuredClone, what postMessage
 *    does): records + encoded paths against candidates with their Float64Array marks;
 *  - the time to encode the paths (workers, in parallel), to read every candidate back with its marks (main
 *    thread, before the pass) from either file, and the pass itself.
 * For context, the whole CLI run with `--trade` against without, alternating, at 2 threads (noisy on a shared
 * machine: read the ratio, not the seconds). `node --import tsx bench/measure-marks.ts`
 *
 * December 2026, 2 cores shared with other jobs (load ~10: ratios only): 1,009,597 marks of 19,181 candidates;
 * results file 13.8 MB without marks, 65.9 MB with float64 marks (4.8×), 17.9 MB with paths (1.3×); marks
 * shipped 31.5 MB against 3.9 MB (4 bytes a bar); copying the day outcomes across a thread 1.4× faster; reading
 * the candidates back with their marks 2.1× slower (every path is decoded and every mark rebuilt, on the main
 * thread at the end of the run). With --signals all (88,007 candidates): 207 MB against 67.8 MB, 1.07× the
 * file without marks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { decodeDayCandidates } from '../src/portfolio/candidate-bytes.js';
import { decodePricePath, encodePricePath, type PricePath } from '../src/portfolio/price-path.js';
import { runPortfolioPass } from '../src/portfolio/portfolio-pass.js';
import { resolveTradeRules } from '../src/config/trade-rules.js';
import { ResultsDb } from '../src/results/results-db.js';
import { ensureMarket, WORKLOADS } from './lib/generate-market.js';

const REPEATS = 3;
const SIGNALS = process.env.BENCH_SIGNALS === 'all' ? 'all' : 'first';
const ROOT = new URL('..', import.meta.url).pathname;
const db = ensureMarket(WORKLOADS.universe);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-marks-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const kb = (bytes: number) => Math.round(bytes / 1024);

/** The results file VACUUMed into `out` after `change`: its size on disk. */
function sizeAfter(file: string, out: string, change: (d: Database.Database) => void): number {
  fs.copyFileSync(file, out);
  const d = new Database(out);
  change(d);
  d.exec('VACUUM');
  d.close();
  return fs.statSync(out).size;
}

try {
  const run = (trade: boolean, resultsDb: string) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/barwise.js'), 'backtest', '--db', db, '--threads', '2', '--results-db', resultsDb,
      '--signals', SIGNALS, ...(trade ? ['--trade'] : [])], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return performance.now() - t;
  };
  run(true, path.join(tmp, 'warm.db'));
  const withTrade: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    without.push(run(false, path.join(tmp, `plain-${i}.db`)));
    withTrade.push(run(true, path.join(tmp, `trade-${i}.db`)));
  }
  const file = path.join(tmp, 'trade-0.db');

  // What the run recorded: each candidate as stored, each ticker-day's encoded path.
  const rdb = new Database(file, { readonly: true });
  const records = (rdb.prepare('SELECT candidates FROM run_days WHERE candidates IS NOT NULL ORDER BY ticker, date').pluck().all() as Buffer[])
    .flatMap((b) => decodeDayCandidates(b));
  const encoded = (rdb.prepare('SELECT ticker, date, prices FROM run_days WHERE prices IS NOT NULL').all() as { ticker: string; date: string; prices: Buffer }[])
    .map((r) => ({ key: `${r.ticker}|${r.date}`, bytes: new Uint8Array(r.prices) }));
  rdb.close();
  const rules = resolveTradeRules({});
  const results = new ResultsDb(file);
  const candidates = results.readCandidates(1);
  results.close();
  const marks = candidates.reduce((a, c) => a + c.marks.length / 4, 0);
  const paths: PricePath[] = encoded.map((e) => decodePricePath(e.bytes));
  const pathBars = paths.reduce((a, p) => a + p.end.length, 0);

  const fileWithPaths = sizeAfter(file, path.join(tmp, 'paths.db'), () => {});
  const fileWithout = sizeAfter(file, path.join(tmp, 'none.db'), (d) => d.exec('UPDATE run_days SET prices = NULL'));
  const fileFloat64 = sizeAfter(file, path.join(tmp, 'float64.db'), (d) => {
    // Each candidate a row of the candidates table again, its record as JSON and its marks beside it.
    d.exec('UPDATE run_days SET prices = NULL, candidates = NULL');
    const add = d.prepare('INSERT INTO candidates (run_id, date, signal_ts, ticker, seq, candidate_json, marks) VALUES (1, ?, ?, ?, ?, ?, ?)');
    d.transaction(() => {
      for (const { marks, ...c } of candidates) add.run(c.date, c.signal_ts, c.ticker, c.seq, JSON.stringify(c), Buffer.from(Float64Array.from(marks).buffer));
    })();
  });
  // Reading every candidate back with its marks, as the run's end does: from the paths, and from float64 marks
  // (schema 3's layout, which readCandidates still reads), alternating.
  const readPaths: number[] = [];
  const readFloat64: number[] = [];
  const fromPaths = new ResultsDb(path.join(tmp, 'paths.db'));
  const fromFloat64 = new ResultsDb(path.join(tmp, 'float64.db'));
  for (let i = 0; i < 5; i++) {
    readPaths.push(time(() => fromPaths.readCandidates(1)));
    readFloat64.push(time(() => fromFloat64.readCandidates(1)));
  }
  fromPaths.close();
  fromFloat64.close();

  // What crosses the threads: the day outcomes' candidates and paths, against candidates carrying float64 marks.
  const shippedPaths = { records, paths: encoded.map((e) => e.bytes) };
  const shippedFloat64 = candidates;
  const cloneFloat64: number[] = [];
  const clonePaths: number[] = [];
  const encode: number[] = [];
  const pass: number[] = [];
  for (let i = 0; i < 7; i++) {
    cloneFloat64.push(time(() => structuredClone(shippedFloat64)));
    clonePaths.push(time(() => structuredClone(shippedPaths)));
    encode.push(time(() => paths.forEach((p) => encodePricePath(p))));
    pass.push(time(() => runPortfolioPass(candidates, rules)));
  }
  const shippedBytesPaths = encoded.reduce((a, e) => a + e.bytes.length, 0);
  const shippedBytesFloat64 = candidates.reduce((a, c) => a + c.marks.length * Float64Array.BYTES_PER_ELEMENT, 0);
  console.log(JSON.stringify({
    workload: `universe 2046 tickers x 10 days, SQL scanner, --trade (defaults), --signals ${SIGNALS}, 2 threads`,
    candidates: candidates.length,
    marks,
    path_bars: pathBars,
    ticker_days_with_paths: paths.length,
    file_kb_without_marks: kb(fileWithout),
    file_kb_float64_marks: kb(fileFloat64),
    file_kb_price_paths: kb(fileWithPaths),
    ratio_float64_to_without: Math.round((fileFloat64 / fileWithout) * 100) / 100,
    ratio_paths_to_without: Math.round((fileWithPaths / fileWithout) * 100) / 100,
    marks_kb_float64: kb(shippedBytesFloat64),
    marks_kb_paths: kb(shippedBytesPaths),
    bytes_per_path_bar: r1(shippedBytesPaths / Math.max(1, pathBars)),
    clone_ms_float64_marks: r1(median(cloneFloat64)),
    clone_ms_paths: r1(median(clonePaths)),
    encode_ms_all_paths: r1(median(encode)),
    read_candidates_ms_paths: r1(median(readPaths)),
    read_candidates_ms_float64: r1(median(readFloat64)),
    pass_ms: r1(median(pass)),
    cli_wall_ms_without_trade: Math.round(median(without)),
    cli_wall_ms_with_trade: Math.round(median(withTrade)),
    ratio_trade_to_plain: Math.round((median(withTrade) / median(without)) * 100) / 100,
  }));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
