/**
 * The batch file (JSON or YAML): a list of jobs, each a scanner + universe + date range + options, validated
 * with zod. The batch's own shape is checked first (an error there stops everything: exit 2); each job is then
 * checked alone, so one broken job fails by itself and the others still run at 3 a.m.
 *
 * A job's `options` are BacktestOptions, key for key: the schema is derived from the option table
 * (src/config/options.ts), rows with `batch: true`, and values are checked by the table's own rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { BarwiseError } from '../errors.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { RUN_ROWS, SWEEP_ROWS, TRADE_ROWS, describeProblem, type Caller, type OptionRow } from '../config/options.js';
import type { SweepOptions } from '../sweep/sweep-options.js';
import { findClosestWord } from '../text/closest-word.js';

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write dates as YYYY-MM-DD');
const positiveInt = () => z.number().int().positive();
/** Names in value messages are the issue's path, so the row's own name is left out of them. */
const IN_BATCH: Caller = { kind: 'batch', at: '' };

/** One option row → a zod schema checking the value by the row's rules, with the row's message. */
function toZod(row: OptionRow): z.ZodType {
  return z.unknown().superRefine((v, ctx) => {
    const problem = describeProblem(row, v, IN_BATCH);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  });
}

const shapeOf = (rows: readonly OptionRow[], nested: Record<string, z.ZodType> = {}) =>
  Object.fromEntries(rows.filter((r) => r.batch).map((r) => [r.key!, nested[r.key!] ?? toZod(r)]));

const TRADE_RULES = z.strictObject(shapeOf(TRADE_ROWS)).partial();

/** Engine options a job may set: the option table's rows marked `batch`. */
export const JOB_OPTIONS_SHAPE = shapeOf(RUN_ROWS, { trade: TRADE_RULES });
const JOB_OPTIONS = z.strictObject(JOB_OPTIONS_SHAPE).partial();
export type JobOptions = Partial<BacktestOptions>;
export const asBacktestOptions = (o: JobOptions): Partial<BacktestOptions> => o;

/**
 * A job's `sweep`: the grid (parameter → a list of values, or the text `--param` takes: `3,6,12`,
 * `1.5..3:0.5`) and the sweep's own options, the option table's sweep rows marked `batch`. With it the job is
 * a sweep of its scanner over its universe and range, `options` applying to every combination.
 */
const GRID = z.record(z.string().min(1), z.union([
  z.string().min(1), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1),
]), { error: 'grid maps each swept parameter to its values: a list, or text as --param takes it ("3,6,12", "1.5..3:0.5")' })
  .refine((g) => Object.keys(g).length > 0, 'grid needs at least one swept parameter');
export const SWEEP_SHAPE = shapeOf(SWEEP_ROWS, { grid: GRID });
const SWEEP = z.strictObject(SWEEP_SHAPE).partial().required({ grid: true });
export type JobSweep = Pick<SweepOptions, 'grid' | 'samples' | 'seed' | 'objective' | 'minTrades' | 'walkForward' | 'train' | 'test' | 'anchored' | 'pboBlocks'>;

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
  sweep: SWEEP.optional(),
});
export type JobConfig = Omit<z.infer<typeof JOB>, 'options' | 'sweep'> & {
  name: string; options: JobOptions; /** With it, the job is a sweep (src/batch/run-sweep-job.ts). */ sweep?: JobSweep; /** Position in the file's `jobs`, from 0. */ index: number;
};

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
  sweep: Object.keys(SWEEP_SHAPE),
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
    if (!parsed.success) return { ok: false, name: fallback, error: `job ${fallback}: ${describeIssues(parsed.error, 'job', ['jobs', i])}` };
    const name = parsed.data.name ?? fallback;
    if (names.has(name)) return { ok: false, name: `${name}#${i + 1}`, error: `job ${name}: the name is used by an earlier job; job names must be unique` };
    names.add(name);
    const { sweep, ...job } = parsed.data;
    return { ok: true, job: { ...job, options: job.options as JobOptions, ...(sweep ? { sweep: sweep as JobSweep } : {}), name, index: i } };
  });
  return {
    file,
    name: b.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, ''),
    db: b.db,
    resultsDb: b.resultsDb,
    maxThreads: b.maxThreads,
    concurrency: b.concurrency,
    notify: b.notify,
    defaults: b.defaults as JobOptions,
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
function describeIssues(error: z.ZodError, root: string, prefix: readonly PropertyKey[] = []): string {
  // Unknown keys first: a misspelt key usually also leaves a required one missing, and is the real cause.
  const issues = [...error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  return issues.map((issue) => {
    const full = [...prefix, ...issue.path];
    const where = full.length ? `${formatPath(full)}: ` : '';
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
