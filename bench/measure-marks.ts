/**
 * What the portfolio pass's marks cost on the 2,046-ticker × 10-day universe with the SQL scanner: each
 * candidate trade ships, per bar it holds in full, four numbers (bar end, close, running MAE and MFE), so the
 * main thread can value open positions at every bar close. Measured back to back in this process, on the
 * candidates a real `--trade` run recorded: their size as stored (JSON) with and without marks, the time to
 * copy them across a thread boundary (structuredClone, what postMessage does) with and without, and the pass
 * itself. For context, the whole CLI run with `--trade` against without, alternating, at 2 threads (noisy on
 * a shared machine: read the ratio, not the seconds). `node --import tsx bench/measure-marks.ts`
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Candidate } from '../src/portfolio/candidate.js';
import { runPortfolioPass } from '../src/portfolio/portfolio-pass.js';
import { resolveTradeRules } from '../src/config/trade-rules.js';
import { ensureMarket, WORKLOADS } from './lib/generate-market.js';

const REPEATS = 3;
const ROOT = new URL('..', import.meta.url).pathname;
const db = ensureMarket(WORKLOADS.universe);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-marks-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

try {
  const run = (trade: boolean, resultsDb: string) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/barwise.js'), 'backtest', '--db', db, '--threads', '2', '--results-db', resultsDb,
      ...(trade ? ['--trade'] : [])], { encoding: 'utf8' });
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

  const rdb = new Database(path.join(tmp, 'trade-0.db'), { readonly: true });
  const rows = rdb.prepare('SELECT candidate_json, marks FROM candidates ORDER BY date, signal_ts, ticker, seq').all() as { candidate_json: string; marks: Buffer }[];
  rdb.close();
  const candidates = rows.map((r) => ({ ...JSON.parse(r.candidate_json), marks: new Float64Array(new Uint8Array(r.marks).buffer) }) as Candidate);
  const bare = candidates.map((c) => ({ ...c, marks: new Float64Array(0) }));
  // The same marks as plain arrays of numbers, as JSON would hold them: what the typed array saves.
  const plain = candidates.map((c) => ({ ...c, marks: Array.from(c.marks) }));
  const marks = candidates.reduce((a, c) => a + c.marks.length / 4, 0);
  const clone = (xs: unknown) => time(() => structuredClone(xs));
  const cloneWith: number[] = [];
  const cloneWithout: number[] = [];
  const clonePlain: number[] = [];
  const pass: number[] = [];
  const rules = resolveTradeRules({});
  for (let i = 0; i < 7; i++) {
    cloneWith.push(clone(candidates));
    cloneWithout.push(clone(bare));
    clonePlain.push(clone(plain));
    pass.push(time(() => runPortfolioPass(candidates, rules)));
  }
  const bytesWithout = rows.reduce((a, r) => a + r.candidate_json.length, 0);
  const bytesWith = bytesWithout + rows.reduce((a, r) => a + r.marks.length, 0);
  const bytesPlain = plain.reduce((a, c) => a + JSON.stringify(c).length, 0);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    workload: 'universe 2046 tickers x 10 days, SQL scanner, --trade (defaults), 2 threads',
    candidates: candidates.length,
    marks,
    stored_kb_with_marks: Math.round(bytesWith / 1024),
    stored_kb_without_marks: Math.round(bytesWithout / 1024),
    stored_kb_marks_as_json: Math.round(bytesPlain / 1024),
    clone_ms_with_marks: r1(median(cloneWith)),
    clone_ms_marks_as_arrays: r1(median(clonePlain)),
    clone_ms_without_marks: r1(median(cloneWithout)),
    pass_ms: r1(median(pass)),
    cli_wall_ms_without_trade: Math.round(median(without)),
    cli_wall_ms_with_trade: Math.round(median(withTrade)),
    ratio_trade_to_plain: Math.round((median(withTrade) / median(without)) * 100) / 100,
  }));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
