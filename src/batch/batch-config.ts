/**
 * The batch file (JSON or YAML): a list of jobs, each a scanner + universe + date range + options, validated
 * with zod. The batch's own shape is checked first (an error there stops everything: exit 2); each job is then
 * checked alone, so one broken job fails by itself and the others still run at 3 a.m.
 *
 * A job's `options` are BacktestOptions, key for key (the compile-time check below keeps them so): to expose
 * a new engine option to batches, add its key to JOB_OPTIONS_SHAPE.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { BarwiseError } from '../errors.js';
import { RUN_MODES, SESSIONS, SIGNAL_MODES, type BacktestOptions } from '../config/backtest-options.js';
import { SCANNER_KINDS } from '../scanners/scanner-source.js';
import { ENTRY_MODES, TRADE_DIRECTIONS, type TradeRulesInput } from '../config/trade-rules.js';
import { findClosestWord } from './closest-word.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD');
const positiveInt = () => z.number().int().positive();

const TRADE_RULES = z.strictObject({
  config: z.string().min(1),
  direction: z.enum(TRADE_DIRECTIONS),
  entry: z.enum(ENTRY_MODES),
  stopPct: z.number().positive(),
  targetPct: z.number().positive(),
  trailPct: z.number().positive(),
  atrStop: z.number().positive(),
  atrPeriod: positiveInt(),
  maxBars: positiveInt(),
  exitTime: z.string().regex(/^\d{2}:\d{2}$/, 'write times as HH:MM'),
  slippageBps: z.number().nonnegative(),
  commissionPerShare: z.number().nonnegative(),
  commissionMin: z.number().nonnegative(),
  shares: positiveInt(),
  riskPerTrade: z.number().positive(),
  capital: z.number().positive(),
} satisfies Record<keyof TradeRulesInput, z.ZodType>).partial();

/** Engine options a job may set; each key is a BacktestOptions key with the same meaning. */
export const JOB_OPTIONS_SHAPE = {
  threads: positiveInt(),
  warmup: z.number().int().nonnegative(),
  signals: z.enum(SIGNAL_MODES),
  session: z.enum(SESSIONS),
  timeframe: z.string().min(1),
  maxSignals: positiveInt(),
  stepTimeoutMs: positiveInt(),
  mode: z.enum(RUN_MODES),
  workerMemoryMb: positiveInt(),
  scannerKind: z.enum(SCANNER_KINDS),
  persistent: z.boolean(),
  references: z.array(z.string().regex(/^[A-Za-z0-9.^$_-]+$/, 'a reference is a ticker symbol')),
  lookbackDays: z.number().int().nonnegative(),
  dailyBars: z.number().int().nonnegative(),
  // Trade rules as in --trade-config (docs/trades.md); values are checked again when the job resolves.
  trade: TRADE_RULES,
};
const JOB_OPTIONS = z.strictObject(JOB_OPTIONS_SHAPE).partial();
export type JobOptions = z.infer<typeof JOB_OPTIONS>;
// Compile-time: every job option is a BacktestOptions key, with a compatible type.
const noForeignKeys: [Exclude<keyof JobOptions, keyof BacktestOptions>] extends [never] ? true : false = true;
void noForeignKeys;
export const asBacktestOptions = (o: JobOptions): Partial<BacktestOptions> => o;

/** `last 10 trading days`, `last trading day`: counted back from the last trading day in the store. */
export const RELATIVE_RANGE = /^last\s+(?:(\d+)\s+)?trading\s+days?$/i;

const RANGE = z.union([
  z.string().regex(RELATIVE_RANGE, 'a range is "last N trading days" or { from: YYYY-MM-DD, to: YYYY-MM-DD }'),
  z.strictObject({ from: DATE.optional(), to: DATE.optional() }),
]);
const UNIVERSE = z.union([
  z.literal('all'),
  z.array(z.string().min(1)).min(1),
  z.strictObject({ file: z.string().min(1) }),
], { error: 'universe is "all", a list of tickers, or { file: PATH }' });

const JOB = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/, 'job names use letters, digits, "-", "_" and "."').optional(),
  scanner: z.string().min(1),
  universe: UNIVERSE.default('all'),
  range: RANGE.optional(),
  db: z.string().min(1).optional(),
  options: JOB_OPTIONS.default({}),
});
export type JobConfig = z.infer<typeof JOB> & { name: string };

const BATCH = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/, 'batch names use letters, digits, "-", "_" and "."').optional(),
  db: z.string().min(1).optional(),
  resultsDb: z.string().min(1).optional(),
  maxThreads: positiveInt().optional(),
  concurrency: positiveInt().default(1),
  notify: z.string().min(1).optional(),
  defaults: JOB_OPTIONS.default({}),
  jobs: z.array(z.unknown()).min(1, 'a batch needs at least one job'),
});

/** Keys allowed at each place, for "did you mean" (by the last named segment of an issue's path). */
const KEYS_AT: Record<string, readonly string[]> = {
  '': Object.keys(BATCH.shape),
  defaults: Object.keys(JOB_OPTIONS_SHAPE),
  options: Object.keys(JOB_OPTIONS_SHAPE),
  job: Object.keys(JOB.shape),
  range: ['from', 'to'],
  universe: ['file'],
  trade: Object.keys(TRADE_RULES.shape),
};

export type JobEntry = { ok: true; job: JobConfig } | { ok: false; name: string; error: string };

export interface BatchConfig {
  /** The file, absolute; relative paths inside it are relative to its folder. */
  file: string;
  name: string;
  db?: string;
  resultsDb?: string;
  maxThreads?: number;
  concurrency: number;
  notify?: string;
  defaults: JobOptions;
  jobs: JobEntry[];
}

export function loadBatchConfig(file: string): BatchConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new BarwiseError('BATCH_CONFIG', `batch config not found: ${file}`, 'Pass --config with a JSON or YAML batch file; see examples/nightly.yaml.');
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new BarwiseError('BATCH_CONFIG', `${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  return parseBatchConfig(raw, path.resolve(file));
}

export function parseBatchConfig(raw: unknown, file: string): BatchConfig {
  const top = BATCH.safeParse(raw);
  if (!top.success) {
    throw new BarwiseError('BATCH_CONFIG', `${path.basename(file)}: ${describeIssues(top.error, '')}`,
      'Fix the batch file; every key is listed in the README section "Nightly batches".');
  }
  const b = top.data;
  const names = new Set<string>();
  const jobs = b.jobs.map((rawJob, i): JobEntry => {
    const fallback = defaultJobName(rawJob, i);
    const parsed = JOB.safeParse(rawJob);
    if (!parsed.success) return { ok: false, name: fallback, error: `job ${fallback}: ${describeIssues(parsed.error, 'job')}` };
    const name = parsed.data.name ?? fallback;
    if (names.has(name)) return { ok: false, name: `${name}#${i + 1}`, error: `job ${name}: the name is used by an earlier job; job names must be unique` };
    names.add(name);
    return { ok: true, job: { ...parsed.data, name } };
  });
  return {
    file,
    name: b.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, ''),
    db: b.db,
    resultsDb: b.resultsDb,
    maxThreads: b.maxThreads,
    concurrency: b.concurrency,
    notify: b.notify,
    defaults: b.defaults,
    jobs,
  };
}

function defaultJobName(rawJob: unknown, i: number): string {
  const j = rawJob as { name?: unknown; scanner?: unknown } | null;
  if (j && typeof j.name === 'string' && /^[\w.-]+$/.test(j.name)) return j.name;
  const scanner = j && typeof j.scanner === 'string' ? path.basename(j.scanner).replace(/\.[^.]+$/, '') : 'job';
  return `${scanner}-${i + 1}`;
}

/** One line per problem, each naming where it is; unknown keys get the closest valid one. */
function describeIssues(error: z.ZodError, root: string): string {
  // Unknown keys first: a misspelt key usually also leaves a required one missing, and is the real cause.
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  return issues.map((issue) => {
    const where = issue.path.length ? `${formatPath(issue.path)}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      const at = [...issue.path].reverse().find((p) => typeof p === 'string') as string | undefined;
      const allowed = KEYS_AT[at ?? root] ?? [];
      return issue.keys.map((k) => {
        const close = findClosestWord(k, allowed);
        return `${where}unknown key "${k}"${close ? `; did you mean "${close}"?` : `; valid keys: ${allowed.join(', ')}`}`;
      }).join('; ');
    }
    return `${where}${/received undefined$/.test(issue.message) ? 'required' : issue.message}`;
  }).join('; ');
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${String(s)}`)).join('');
}
