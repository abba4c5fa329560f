/**
 * Connections to the queue's Redis. A run checks the URL once, up front, with one bounded attempt: ioredis
 * alone retries forever, so an unreachable or mistyped URL would hang the run without a word. After that check
 * the connections BullMQ uses reconnect on their own (what a short network blip needs).
 */
import { Redis } from 'ioredis';
import { BarwiseError } from '../errors.js';

/** How long the up-front check waits for Redis to answer. */
const CHECK_TIMEOUT_MS = 3000;

/** The URL as messages show it: without its password. */
export function showQueueUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function checkUrl(url: string, flag: string): void {
  let u: URL | null = null;
  try {
    u = new URL(url);
  } catch {
    // reported below
  }
  if (!u || (u.protocol !== 'redis:' && u.protocol !== 'rediss:')) {
    throw new BarwiseError('USAGE', `${flag} must be a Redis URL, got "${url}"`, `For example ${flag} redis://10.0.0.5:6379 (rediss:// for TLS).`);
  }
}

/** Resolves once Redis at `url` answered a PING; else a QUEUE_UNREACHABLE error naming the URL. */
export async function checkQueueReachable(url: string, flag = '--queue'): Promise<void> {
  checkUrl(url, flag);
  const probe = new Redis(url, {
    lazyConnect: true, connectTimeout: CHECK_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false,
  });
  probe.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_r, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS))),
    ]);
  } catch (err) {
    throw new BarwiseError('QUEUE_UNREACHABLE', `cannot reach the queue at ${showQueueUrl(url)}: ${(err as Error).message || String(err)}`,
      `Check that redis-server runs there and that this machine may connect (host, port, password, firewall); ${flag} names it.`);
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

/** A connection for BullMQ (which requires no per-request retry limit on the connections it blocks on). */
export function connectRedis(url: string): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // Errors reach BullMQ's own listeners; without one here ioredis prints each reconnect attempt.
  r.on('error', () => {});
  return r;
}
