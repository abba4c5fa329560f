/**
 * `sweep --resume N`: a recorded sweep back to the options that run it again (its grid, sampling and ranking,
 * and the run options of its combinations), the checks that the grid given now is the recorded one, and each
 * combination's resume point. A sweep's combinations are normal runs: each is reopened as `backtest --resume`
 * reopens a run (engine/resume-run.ts), after every one of them was checked against its recorded plan, so a
 * refused resume leaves every record as it was.
 */
import fs from 'node:fs';
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import type { Caller } from '../config/options.js';
import { checkSamePlan, openResumePoint, readRecordedPlan, type ResumePoint } from '../engine/resume-run.js';
import { mergeOverRecorded, planToOptions } from '../plan/plan-to-options.js';
import { canonicalJson, type RunPlan } from '../plan/run-plan.js';
import { ResultsDb } from '../results/results-db.js';
import type { RunStatus } from '../engine/run-result.js';
import type { Combination } from './build-grid.js';
import { TRADE_PREFIX, type ParamSpec } from './parse-param-spec.js';
import { SWEEP_KEYS, type SweepOptions } from './sweep-options.js';
import type { WalkForwardShape } from './walk-forward-windows.js';

/** What sweeps.spec_json holds: the grid as parsed, how it was sampled, and how the sweep ranks. */
export interface SweepSpec {
  params: ParamSpec[];
  samples: number | null;
  seed: number | null;
  min_trades: number;
  /** Absent in sweeps recorded before resume existed: the defaults then apply. */
  walk_forward?: WalkForwardShape | null;
  pbo_blocks?: number;
}

export interface RecordedSweep {
  id: number;
  status: RunStatus | 'running';
  objective: string;
  spec: SweepSpec;
  /** The combinations' runs, in sweep order. */
  runs: { combination: number; runId: number; values: Record<string, unknown> }[];
}

/** Reads sweep `sweepId` of `resultsDb`, refusing one that is not there. */
export function readRecordedSweep(resultsDb: string, sweepId: number): RecordedSweep & { plan: RunPlan } {
  const missing = () => new BarwiseError('RUN_NOT_FOUND', `sweep #${sweepId} is not in ${resultsDb}`,
    'List the recorded runs with `npm run runs`, or pass --results-db with the database the sweep was recorded in.');
  if (resultsDb !== ':memory:' && !fs.existsSync(resultsDb)) throw missing();
  const results = new ResultsDb(resultsDb);
  try {
    const row = results.readSweep(sweepId);
    if (!row) throw missing();
    const runs = results.readSweepRuns(sweepId);
    if (runs.length === 0) throw missing();
    return { id: row.id, status: row.status, objective: row.objective, spec: row.spec as SweepSpec, runs, plan: readRecordedPlan(results, runs[0].runId) };
  } finally {
    results.close();
  }
}

/**
 * The options a recorded sweep runs with again: its first combination's run options less what was swept (each
 * combination sets those), its grid, sampling and ranking. Options given now override just those options.
 */
export function recordedSweepOptions(recorded: RecordedSweep & { plan: RunPlan }, given: Partial<SweepOptions>): SweepOptions {
  const { spec } = recorded;
  const swept = new Set(spec.params.map((p) => p.name));
  const base = planToOptions(recorded.plan);
  if (base.params) base.params = Object.fromEntries(Object.entries(base.params).filter(([k]) => !swept.has(k)));
  if (base.trade) {
    base.trade = Object.fromEntries(Object.entries(base.trade).filter(([k]) => !swept.has(`${TRADE_PREFIX}${k}`))) as typeof base.trade;
  }
  const givenRun = Object.fromEntries(Object.entries(given).filter(([k, v]) => v !== undefined && !(SWEEP_KEYS as readonly string[]).includes(k)));
  const wf = given.walkForward !== undefined
    ? { walkForward: given.walkForward, train: given.train, test: given.test, anchored: given.anchored }
    : spec.walk_forward ? { walkForward: true, ...spec.walk_forward } : {};
  const options: SweepOptions = {
    ...mergeOverRecorded(base, givenRun as Partial<BacktestOptions>),
    grid: given.grid ?? Object.fromEntries(spec.params.map((p) => [p.name, p.values])),
    objective: given.objective ?? recorded.objective,
    minTrades: given.minTrades ?? spec.min_trades,
    ...wf,
  };
  const samples = given.samples ?? spec.samples ?? undefined;
  if (samples !== undefined) options.samples = samples;
  const seed = given.seed ?? spec.seed ?? undefined;
  if (seed !== undefined) options.seed = seed;
  const pboBlocks = given.pboBlocks ?? spec.pbo_blocks;
  if (pboBlocks !== undefined) options.pboBlocks = pboBlocks;
  return options;
}

/**
 * Refuses a grid that differs from the recorded one (RESUME_MISMATCH naming each parameter that differs):
 * the finished ticker-days of a combination are only that combination's if its values are the same.
 */
export function checkSameGrid(recorded: RecordedSweep, specs: readonly ParamSpec[], samples: number | null, seed: number | null, combinations: readonly Combination[], caller: Caller): void {
  const diffs: string[] = [];
  const param = (name: string) => (caller.kind === 'cli' ? `--param ${name}` : `grid.${name}`);
  const was = new Map(recorded.spec.params.map((p) => [p.name, p.values]));
  const now = new Map(specs.map((p) => [p.name, p.values]));
  for (const name of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(name);
    const b = now.get(name);
    if (a === undefined) diffs.push(`${param(name)} is swept now (${b!.join(',')}), not in the sweep`);
    else if (b === undefined) diffs.push(`${param(name)} was swept (${a.join(',')}), not now`);
    else if (canonicalJson(a) !== canonicalJson(b)) diffs.push(`${param(name)} was ${a.join(',')}, now ${b.join(',')}`);
  }
  const flag = (key: string) => (caller.kind === 'cli' ? `--${key}` : key);
  if ((recorded.spec.samples ?? null) !== samples) diffs.push(`${flag('samples')} was ${recorded.spec.samples ?? 'not given'}, now ${samples ?? 'not given'}`);
  else if (samples !== null && recorded.spec.seed !== seed) diffs.push(`${flag('seed')} was ${recorded.spec.seed}, now ${seed}`);
  // The same grid draws the same combinations; a record that says otherwise is not resumed on a guess.
  if (diffs.length === 0 && canonicalJson(recorded.runs.map((r) => r.values)) !== canonicalJson(combinations.map((c) => c.values))) {
    diffs.push(`the combinations drawn (${combinations.length}) are not the ${recorded.runs.length} recorded`);
  }
  if (diffs.length > 0) {
    throw new BarwiseError('RESUME_MISMATCH', `sweep #${recorded.id} cannot be resumed: ${diffs.join('; ')}`,
      `Resume with the sweep's own grid (${caller.kind === 'cli' ? '`sweep --resume N` alone reuses it' : 'leave grid out'}), or start a new sweep.`);
  }
}

/**
 * Checks every combination's run against its plan now, then reopens each (failed ticker-days are retried).
 * Checked first, all of them: a refusal on the last combination leaves the first ones' records untouched.
 */
export function openSweepResume(results: ResultsDb, recorded: RecordedSweep, plans: readonly RunPlan[], caller: Caller): ResumePoint[] {
  recorded.runs.forEach((r, c) => checkCombinationPlan(results, recorded.id, r.runId, plans[c], caller));
  results.reopenSweep(recorded.id);
  return recorded.runs.map((r, c) => openResumePoint(results, r.runId, plans[c], caller));
}

/**
 * The dates every combination finished, by ticker: the tasks leave those out. A date finished by some
 * combinations only (another failed on it) is run again for all, and dropped for those that have it
 * (`isKept`), so no combination records a ticker-day twice.
 */
export function intersectFinished(points: readonly ResumePoint[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const [first, ...rest] = points;
  for (const [ticker, dates] of first.finished) {
    const all = dates.filter((d) => rest.every((p) => p.finished.get(ticker)?.includes(d)));
    if (all.length > 0) out.set(ticker, all);
  }
  return out;
}

/** Whether combination `point` already holds this ticker-day (kept from before the resume). */
export function isKept(point: ResumePoint | null, ticker: string, date: string): boolean {
  return point?.finished.get(ticker)?.includes(date) ?? false;
}

/** checkSamePlan for one combination's run, its refusal naming the sweep (the run is one of its combinations). */
export function checkCombinationPlan(results: ResultsDb, sweepId: number, runId: number, plan: RunPlan, caller: Caller): void {
  try {
    checkSamePlan(results, runId, plan, caller);
  } catch (err) {
    if (!(err instanceof BarwiseError) || err.code !== 'RESUME_MISMATCH') throw err;
    throw new BarwiseError('RESUME_MISMATCH', err.message.replace(`run #${runId} cannot be resumed`, `sweep #${sweepId} cannot be resumed (its run #${runId})`), err.hint);
  }
}
