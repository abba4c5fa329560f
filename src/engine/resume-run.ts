/**
 * Continuing a recorded run (`resume`): the run must have been started with the same inputs, or its finished
 * ticker-days would be merged with days computed under different rules. Inputs are compared field by field
 * as recorded in runs.inputs_json, except those that cannot change a result (thread counts), so fields other
 * branches add to the inputs (reference tickers, trade rules) are compared without code here knowing them.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { tradeRulesToInput, type TradeRules } from '../config/trade-rules.js';
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import type { ResultsDb } from '../results/results-db.js';
import type { ScannerKind, SessionKind, SignalMode } from '../types.js';

/** Recorded inputs that may differ between a run and its continuation. */
const FREE_INPUTS = new Set(['threads', 'workers', 'step_timeout_ms']);

export interface ResumePoint {
  runId: number;
  /** Finished ticker-days by ticker: their dates are left out of the tasks. */
  finished: Map<string, string[]>;
  /** Counts carried over from the finished ticker-days. */
  tickerDays: number;
  skipped: number;
  steps: number;
}

/** Checks the run can be continued with these inputs and reopens it (failed ticker-days are retried). */
export function openResumePoint(results: ResultsDb, runId: number, inputs: Record<string, unknown>): ResumePoint {
  const run = results.readRun(runId);
  if (!run) {
    throw new BarwiseError('RUN_NOT_FOUND', `run #${runId} is not in ${results.path}`,
      'List the recorded runs with `npm run runs`, or pass --results-db with the database the run was recorded in.');
  }
  const diffs = diffInputs(run.inputs, inputs);
  if (diffs.length > 0) {
    throw new BarwiseError('RESUME_MISMATCH',
      `run #${runId} cannot be resumed with different inputs: ${diffs.join('; ')}`,
      'Resume with the same scanner, data, tickers, dates and options (`--resume N` alone reuses them), or start a new run.');
  }
  const finished = new Map<string, string[]>();
  let tickerDays = 0;
  let skipped = 0;
  let steps = 0;
  for (const d of results.reopenRun(runId)) {
    let list = finished.get(d.ticker);
    if (!list) finished.set(d.ticker, (list = []));
    list.push(d.date);
    tickerDays++;
    steps += d.steps;
    if (d.status === 'skipped') skipped++;
  }
  return { runId, finished, tickerDays, skipped, steps };
}

/** Human-readable differences between recorded and current inputs, one per field. */
export function diffInputs(recorded: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(current)])].filter((k) => !FREE_INPUTS.has(k)).sort();
  const out: string[] = [];
  for (const k of keys) {
    const a = canonicalJson(recorded[k]);
    const b = canonicalJson(current[k]);
    if (a !== b) out.push(`${k} was ${clip(a)}, now ${clip(b)}`);
  }
  return out;
}

/** The options a recorded run was started with, so `--resume N` needs no other flag. */
export function readRunOptions(results: ResultsDb, runId: number): BacktestOptions {
  const run = results.readRun(runId);
  if (!run) {
    throw new BarwiseError('RUN_NOT_FOUND', `run #${runId} is not in ${results.path}`,
      'List the recorded runs with `npm run runs`, or pass --results-db with the database the run was recorded in.');
  }
  const i = run.inputs as {
    scanner: { path: string; kind: ScannerKind }; db: string; from: string; to: string; tickers: string[];
    tickers_without_bars?: string[]; threads: number; warmup: number; signals_mode: SignalMode; session: SessionKind;
    timeframe: string; mode: 'realtime' | 'naive'; persistent: boolean; max_signals: number | null; step_timeout_ms: number;
    references?: string[]; lookback_days?: number; daily_bars?: number; trade?: TradeRules | null;
  };
  return {
    db: i.db,
    scanner: i.scanner.path,
    scannerKind: i.scanner.kind,
    // Tickers without bars in range were asked for too: asking again resolves to the same universe.
    tickers: [...i.tickers, ...(i.tickers_without_bars ?? [])].sort(),
    from: i.from,
    to: i.to,
    threads: i.threads,
    warmup: i.warmup,
    signals: i.signals_mode,
    session: i.session,
    timeframe: i.timeframe,
    mode: i.mode,
    ...(i.scanner.kind === 'script' ? { persistent: i.persistent } : {}),
    ...(i.max_signals !== null ? { maxSignals: i.max_signals } : {}),
    stepTimeoutMs: i.step_timeout_ms,
    // Context as resolved (flags over the scanner's own): passing it back resolves to the same.
    ...(i.references?.length ? { references: i.references } : {}),
    ...(i.lookback_days ? { lookbackDays: i.lookback_days } : {}),
    ...(i.daily_bars ? { dailyBars: i.daily_bars } : {}),
    ...(i.trade ? { trade: tradeRulesToInput(i.trade) } : {}),
  };
}

/** SHA-256 of the scanner file: a scanner edited between a run and its continuation is a different scanner. */
export function hashFile(file: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) => (val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.keys(val).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
    : val)) ?? 'undefined';
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
