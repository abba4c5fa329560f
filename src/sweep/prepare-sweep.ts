/**
 * A sweep resolved, before anything runs or is written: its options (a resumed sweep's from its record, those
 * given over them), the run resolved once, the grid parsed against the scanner's declared parameters, each
 * combination's plan draft (the base plan with its parameters and trade rules, resolved as a backtest resolves
 * them), and what the workers evaluate (the distinct scans, each combination's scan and rules). runSweep runs
 * it; `sweep --resume N` of a completed sweep checks it against the record without running.
 */
import { BarwiseError } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { resolveTradeRules, type TradeRulesInput } from '../config/trade-rules.js';
import { splitTradeParams, type SplitParams } from '../config/split-trade-params.js';
import { TRADE_ROWS, nameKey, type Caller } from '../config/options.js';
import { resolveRunFully, type ResolvedRun } from '../plan/resolve-run.js';
import { canonicalJson, readTradeRules, stripNulls, type RunPlan } from '../plan/run-plan.js';
import { DayDb } from '../day-db/day-db.js';
import { inspectScanner } from '../scanners/load-scanner.js';
import { resolveParams, type ParamDecl } from '../scanners/scanner-params.js';
import type { ScannerSource } from '../scanners/scanner-source.js';
import { buildGrid, type Combination } from './build-grid.js';
import { parseParamSpec, TRADE_PREFIX, type ParamSpec, type SweepParamType, type SweepValue } from './parse-param-spec.js';
import { resolveSweepOptions, SWEEP_KEYS, type ResolvedSweepOptions, type SweepOptions, type SweepResumeOptions } from './sweep-options.js';
import type { SweepWorkerPlan } from './sweep-worker-plan.js';
import { checkSameGrid, readRecordedSweep, recordedSweepOptions, type RecordedSweep } from './resume-sweep.js';

export interface PreparedSweep {
  /** The sweep being resumed, null for a new one. */
  recorded: RecordedSweep | null;
  sweepOptions: ResolvedSweepOptions;
  resolved: ResolvedRun;
  specs: ParamSpec[];
  combinations: Combination[];
  /** Each combination's plan but its market fingerprint (completePlan measures it once for all). */
  drafts: Omit<RunPlan, 'market'>[];
  workerPlan: SweepWorkerPlan;
}

export async function prepareSweep(given: SweepOptions | SweepResumeOptions, caller: Caller): Promise<PreparedSweep> {
  if (given === null || typeof given !== 'object') throw new BarwiseError('USAGE', 'options must be an object');
  // A resumed sweep starts from its recorded options; those given with the resume override them.
  const recorded = given.resume === undefined ? null : readRecordedSweep(given.resultsDb ?? DEFAULTS.resultsDb, given.resume);
  const options = recorded ? recordedSweepOptions(recorded, given) : given as SweepOptions;
  const sweepOptions = resolveSweepOptions(options, caller);
  const base = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'resume' && !(SWEEP_KEYS as readonly string[]).includes(k))) as SweepOptions;
  if (base.mode !== undefined && base.mode !== 'realtime') {
    throw new BarwiseError('USAGE', `a sweep replays in realtime mode only, got ${nameKey('run', 'mode', caller)} ${base.mode}`, 'Drop the mode option.');
  }
  // Values given for the whole sweep (options.params, trade rules): every combination has them.
  const fixed = splitTradeParams(base.params, base.trade, caller);
  for (const name of Object.keys(options.grid ?? {})) checkNotFixed(name, fixed, caller);
  // A sweep ranks trade statistics: it always trades (the rules given, or the defaults), as --report does.
  const baseTrade: TradeRulesInput = fixed.trade ?? {};
  const resolved = await resolveRunFully({ ...base, params: fixed.scanner, trade: baseTrade }, caller);

  const decls = await readParamDecls(resolved.source);
  const declared = new Map<string, SweepParamType>(decls.map((d) => [d.name, d.type]));
  const specs = Object.entries(options.grid).map(([name, v]) => parseParamSpec(`${name}=${typeof v === 'string' ? v : v.join(',')}`, declared));
  const combinations = buildGrid(specs, sweepOptions.samples === null ? undefined : { samples: sweepOptions.samples, seed: sweepOptions.seed });
  if (recorded) checkSameGrid(recorded, specs, sweepOptions.samples, sweepOptions.samples === null ? null : sweepOptions.seed, combinations, caller);

  // Each combination's plan: the base plan with its parameters and trade rules, resolved as a backtest resolves them.
  const drafts = combinations.map((c) => ({
    ...resolved.draft,
    params: resolveParams(decls, { ...fixed.scanner, ...readScannerValues(c) }, nameKey('run', 'params', caller)),
    trade: stripNulls(resolveTradeRules({ ...baseTrade, ...readTradeValues(c) }, caller)),
  }));
  const scanKeys: string[] = [];
  const workerPlan: SweepWorkerPlan = { scans: [], combinations: [] };
  for (let c = 0; c < combinations.length; c++) {
    const params = drafts[c].params;
    const key = canonicalJson(params);
    let scan = scanKeys.indexOf(key);
    if (scan < 0) {
      scan = scanKeys.push(key) - 1;
      workerPlan.scans.push(params);
    }
    workerPlan.combinations.push({ scan, trade: readTradeRules(drafts[c])! });
  }

  return { recorded, sweepOptions, resolved, specs, combinations, drafts, workerPlan };
}

/** The parameters the scanner declares, read as the main thread read it to plan the run. */
export async function readParamDecls(source: ScannerSource): Promise<readonly ParamDecl[]> {
  const dayDb = new DayDb();
  try {
    return (await inspectScanner(source.path, dayDb, source.kind)).meta.params ?? [];
  } finally {
    dayDb.close();
  }
}

/** A swept parameter may not also be given one value for the whole sweep: which one counts would be a guess. */
function checkNotFixed(name: string, fixed: SplitParams, caller: Caller): void {
  const rule = name.startsWith(TRADE_PREFIX) ? name.slice(TRADE_PREFIX.length) : null;
  const given = rule ? fixed.trade?.[rule as keyof TradeRulesInput] !== undefined : fixed.scanner[name] !== undefined;
  if (!given) return;
  const as = rule && TRADE_ROWS.some((r) => r.key === rule) ? `${nameKey('trade', rule, caller)} (or ${nameKey('run', 'params', caller)}.${name})` : `${nameKey('run', 'params', caller)}.${name}`;
  throw new BarwiseError('USAGE', `${name} is both swept and given one value (${as})`, `Sweep it, or give it one value: not both.`);
}

/** A combination's trade rules, as keys of TradeRulesInput. */
function readTradeValues(c: Combination): TradeRulesInput {
  const out: Record<string, SweepValue> = {};
  for (const [k, v] of Object.entries(c.values)) if (k.startsWith(TRADE_PREFIX)) out[k.slice(TRADE_PREFIX.length)] = v;
  return out as TradeRulesInput;
}

/** A combination's scanner parameters (every swept name that is not a trade rule). */
function readScannerValues(c: Combination): Record<string, SweepValue> {
  return Object.fromEntries(Object.entries(c.values).filter(([k]) => !k.startsWith(TRADE_PREFIX)));
}
