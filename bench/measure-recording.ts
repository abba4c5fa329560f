/**
 * The main thread's share of a run: recording each task's days (record-run.ts → results-db.ts) while workers
 * scan, and reading the run back at the end (candidates, the portfolio pass, signals), after the last task,
 * where nothing else runs. Replays the task outcomes of a recorded `--trade` run (the universe by default: it
 * is run once into a temporary results file) into a fresh results file, as the engine does (a flush every
 * FLUSH_EVERY tasks, about what 250 ms of tasks are at 2 threads), without and with the trade data (candidates,
 * price paths, spans). CPU time of this one thread (nothing else runs in this process), medians of --repeats.
 * The pass's candidates come either read back from the file (a resumed or capped run) or as kept while
 * recording (kept-candidates.ts: every other run); both must give the same trades.
 *
 *   node --import tsx bench/measure-recording.ts [--results FILE] [--repeats N]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ResultsDb } from '../src/results/results-db.js';
import { createTaskRecorder } from '../src/engine/record-run.js';
import { runPortfolioPass } from '../src/portfolio/portfolio-pass.js';
import { KeptCandidates } from '../src/portfolio/kept-candidates.js';
import type { DayOutcome, Task } from '../src/runtime/task-types.js';
import type { RunCounts } from '../src/engine/run-result.js';
import type { Signal } from '../src/types.js';
import { ensureMarket, WORKLOADS } from './lib/generate-market.js';
import { median } from './lib/run-trial.js';

const ROOT = new URL('..', import.meta.url).pathname;
const FLUSH_EVERY = 25;
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const repeats = Number(arg('repeats') ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-recording-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

let source = arg('results');
if (!source) {
  source = path.join(tmp, 'source.db');
  const db = ensureMarket(WORKLOADS.universe);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/barwise.js'), 'backtest', '--db', db, '--scanner', path.join(ROOT, 'scanners/opening-range-breakout.sql'),
    '--threads', '2', '--trade', '--results-db', source, '--no-progress'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`the source run failed (exit ${r.status}); run \`npm run build\` first`);
}

/** The recorded run's tasks (one per ticker), rebuilt as a worker answers them. */
function readTasks(file: string, trade: boolean): [string, DayOutcome[]][] {
  const db = new Database(file, { readonly: true });
  const byDay = <T>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) (m.get(key(r)) ?? m.set(key(r), []).get(key(r))!).push(r);
    return m;
  };
  const signals = byDay(db.prepare('SELECT * FROM signals WHERE run_id = 1').all() as (Omit<Signal, 'metrics'> & { metrics_json: string })[], (s) => `${s.ticker}|${s.signal_date}`);
  const tasks = new Map<string, DayOutcome[]>();
  for (const d of db.prepare('SELECT * FROM run_days WHERE run_id = 1 ORDER BY ticker, date').all() as Record<string, any>[]) {
    const key = `${d.ticker}|${d.date}`;
    const day: DayOutcome = {
      date: d.date, bars: d.bars, steps: d.steps, skipped: d.status === 'skipped',
      signals: (signals.get(key) ?? []).map(({ metrics_json, ...s }) => ({ ...s, metrics: JSON.parse(metrics_json) })),
    };
    if (trade) {
      if (d.candidates) day.candidates = new Uint8Array(d.candidates);
      if (d.prices) day.prices = new Uint8Array(d.prices);
      day.untraded = d.untraded_json ? JSON.parse(d.untraded_json) : {};
      day.span = [d.span_start, d.span_end];
    }
    (tasks.get(d.ticker) ?? tasks.set(d.ticker, []).get(d.ticker)!).push(day);
  }
  db.close();
  return [...tasks];
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const timed = <T>(fn: () => T): [T, number] => {
  const t = cpuMs();
  const out = fn();
  return [out, cpuMs() - t];
};

const rules = JSON.parse((new Database(source, { readonly: true }).prepare('SELECT inputs_json FROM runs WHERE id = 1').pluck().get() as string)).trade;
console.log(`# recording bench: replays ${source}; CPU ms of the main thread, median of ${repeats}`);
console.log('data | tasks | days | signals | candidates | record + flush | per task | read back + pass | kept + pass | read signals');
for (const trade of [false, true]) {
  const tasks = readTasks(source, trade);
  const samples: number[][] = [];
  let sizes = [0, 0, 0];
  for (let r = 0; r < repeats; r++) {
    const file = path.join(tmp, `replay-${r}.db`);
    const db = new ResultsDb(file);
    const runId = db.startRun({
      started_at: '', scanner: '', scanner_name: '', db: '', from_date: '', to_date: '', threads: 2, warmup: 0, mode: 'realtime', version: '', inputs: {}, plan: {}, plan_hash: '',
    });
    const counts: RunCounts = { tasks: 0, ticker_days_planned: 0, ticker_days: 0, ticker_days_skipped: 0, ticker_days_failed: 0, longest_day_bars: 0, steps: 0, signals: 0, failures: 0 };
    const kept = new KeptCandidates();
    const recorder = createTaskRecorder(db, runId, counts, undefined, trade ? kept : undefined);
    // Fresh copies, as task results arrive from workers (receiving them is the message port's, not timed here).
    const fresh = structuredClone(tasks);
    const [, record] = timed(() => {
      fresh.forEach(([ticker, days], i) => {
        recorder.record({ ticker, fromDate: days[0].date, toDate: days[days.length - 1].date } as Task, { ok: true, days });
        if ((i + 1) % FLUSH_EVERY === 0) db.flushIfFree();
      });
      db.flush();
    });
    const [readBack, read] = timed(() => (trade ? runPortfolioPass(db.readCandidates(runId), rules) : null));
    const [fromKept, pass] = timed(() => (trade ? runPortfolioPass(kept.list(), rules) : null));
    if (JSON.stringify(readBack) !== JSON.stringify(fromKept)) throw new Error('the pass over the kept candidates differs from the pass over those read back');
    const [signals, readSignals] = timed(() => db.readSignals(runId));
    sizes = [counts.ticker_days, signals.length, trade ? kept.list().length : 0];
    samples.push([record, read, pass, readSignals]);
    db.close();
    fs.rmSync(file, { force: true });
  }
  const m = (k: number) => median(samples.map((s) => s[k]));
  const record = m(0);
  console.log(`${trade ? 'with --trade' : 'signals only'} | ${tasks.length} | ${sizes[0]} | ${sizes[1]} | ${sizes[2]} | ${record.toFixed(0)} ms | ${((record * 1000) / tasks.length).toFixed(0)} µs | ${m(1).toFixed(0)} ms | ${m(2).toFixed(0)} ms | ${m(3).toFixed(0)} ms`);
}
