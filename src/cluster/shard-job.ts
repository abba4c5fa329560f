/**
 * What a shard job carries, and its signature. A worker runs code it is sent, so everything it acts on is
 * signed by the coordinator with the shared secret (HMAC-SHA256 over canonical JSON) and checked before it
 * acts: the plan (the worker config without what each machine supplies itself, the scanner's own text and
 * hash, the run's date range), the shard's tasks, and the market fingerprint of the bars they read. The scanner
 * travels with the files it imports locally (pack-scanner.ts).
 */
import path from 'node:path';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BarwiseError } from '../errors.js';
import { canonicalJson } from '../plan/run-plan.js';
import type { MarketFingerprint } from '../plan/fingerprint-market.js';
import { DAILY_TIMEFRAME } from '../runtime/build-context.js';
import type { Task, WorkerConfig } from '../runtime/task-types.js';
import type { ScannerKind } from '../types.js';
import { packScanner, type PackedScanner } from './pack-scanner.js';

/** The worker config less its machine-local parts: market db path, temp dir and child table come from the worker. */
export type PortableConfig = Omit<WorkerConfig, 'dbPath' | 'tempDir' | 'children' | 'scanner'>;

export interface ShardPlan {
  config: PortableConfig;
  /** The scanner's files as sent (its `sha256` is the run plan's scanner hash); `fileName` names it in logs. */
  scanner: { kind: ScannerKind; fileName: string } & PackedScanner;
  /** The run's dates: the fingerprint of a ticker covers the whole run, whatever the task's window. */
  run: { from: string; to: string };
  /** The run's whole market fingerprint: a changed market makes another plan (and other job ids). */
  marketSha256: string;
}

export interface ShardJob {
  plan: ShardPlan;
  /** The shard's tasks (src/cluster/form-shards.ts), costliest first; each answers on its own. */
  tasks: Omit<Task, 'probe'>[];
  /** Fingerprint entries of the bars these tasks read: their tickers, the references, their daily bars. */
  market: MarketFingerprint['tickers'];
  /** Its task was in a shard lost with its workers: it runs with nothing beside it (lost-shard.ts). */
  alone?: boolean;
  signature: string;
}

/** The one queue every coordinator enqueues to and every worker takes from. */
export const SHARD_QUEUE = 'barwise-shards';

/** Where the secret comes from when no flag gives it. */
export const SECRET_VAR = 'BARWISE_QUEUE_SECRET';

/** The shared secret from the flag or the environment; refuses to go on without one. */
export function readQueueSecret(given: string | undefined | null, flag = '--queue-secret'): string {
  const secret = given ?? process.env[SECRET_VAR] ?? '';
  if (secret === '') {
    throw new BarwiseError('USAGE', `the queue needs a shared secret: pass ${flag} or set ${SECRET_VAR}`,
      `Workers run the scanners they are sent; coordinator and workers sign and check every shard with the same secret (docs/cluster.md).`);
  }
  return secret;
}

/** Refuses a scanner the queue cannot ship (its files too large for a job), before anything starts. */
export function checkShippable(scannerPath: string): void {
  packScanner(scannerPath);
}

export function buildShardPlan(config: WorkerConfig, run: { from: string; to: string }, market: MarketFingerprint): ShardPlan {
  const { dbPath: _db, tempDir: _temp, children: _children, scanner, ...portable } = config;
  return {
    config: portable,
    scanner: { kind: scanner.kind, fileName: path.basename(scanner.path), ...packScanner(scanner.path) },
    run,
    marketSha256: market.sha256,
  };
}

/**
 * The plan's identity on the queue: SHA-256 of the shard plan itself. The run plan's hash cannot serve, since it
 * holds absolute paths of the coordinator's files; this one holds only what decides the result (the scanner by
 * content, options, the market by fingerprint), so two coordinators, or one coordinator run twice, derive the
 * same job ids for the same work, and re-enqueueing it is harmless.
 */
export function identifyPlan(plan: ShardPlan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

/** The fingerprint entries the tasks of this plan on these tickers read. */
export function sliceMarket(market: MarketFingerprint, tickers: readonly string[], config: PortableConfig): MarketFingerprint['tickers'] {
  const names = [...new Set(tickers), ...(config.context?.references ?? [])];
  const out: MarketFingerprint['tickers'] = {};
  for (const n of names) {
    for (const k of [n, `${n}/${DAILY_TIMEFRAME}`]) if (market.tickers[k]) out[k] = market.tickers[k];
  }
  return out;
}

export function signShardJob(job: Omit<ShardJob, 'signature'>, secret: string): ShardJob {
  return { ...job, signature: computeSignature(job, secret) };
}

/** Null when the job was signed with this secret; else why it is refused. */
export function checkSignature(job: Partial<ShardJob> | null | undefined, secret: string): string | null {
  if (!job || typeof job !== 'object' || !job.plan || !Array.isArray(job.tasks)) return 'the job is not a barwise shard';
  if (typeof job.signature !== 'string' || job.signature === '') return 'the shard is unsigned';
  const { signature, ...rest } = job as ShardJob;
  const expected = Buffer.from(computeSignature(rest, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the shard\'s signature does not match this worker\'s secret (signed with another secret, or altered)';
  return null;
}

function computeSignature(job: Omit<ShardJob, 'signature'>, secret: string): string {
  return createHmac('sha256', secret).update(canonicalJson({ plan: job.plan, tasks: job.tasks, market: job.market, ...(job.alone ? { alone: true } : {}) })).digest('hex');
}
