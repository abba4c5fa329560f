/**
 * A worker's presence on the queue: one Redis key per `barwise worker` process, holding what it is and what it
 * does (host, pid, threads, its market database, the plans it has loaded, the shards it runs and has run),
 * rewritten every PRESENCE_REFRESH_MS and set to expire PRESENCE_TTL_MS after: a worker that dies (SIGKILL, a
 * lost machine) leaves the listing within seconds, with nothing to clean up. `barwise workers` and a
 * coordinator's progress read these keys (list-workers.ts); no job data is in them, only what a person
 * watching the cluster needs.
 */
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { VERSION } from '../version.js';

/** Every worker's key starts so; BullMQ's own keys start with `bull:`. */
export const PRESENCE_PREFIX = 'barwise:worker:';
export const PRESENCE_REFRESH_MS = 2000;
/** Three refreshes missed: the worker is gone (a busy event loop may delay one, not three). */
export const PRESENCE_TTL_MS = 7000;

export interface PresenceShard {
  /** The plan's queue identity, shortened (as the worker's log names it). */
  plan: string;
  /** The shard's job id. */
  shard: string;
  tasks: number;
  since: string;
}

export interface PresenceRecord {
  id: string;
  host: string;
  pid: number;
  threads: number;
  version: string;
  startedAt: string;
  updatedAt: string;
  /** This machine's market database: its path, and what identifies its state at a glance. */
  market: { db: string; bytes: number; modifiedAt: string | null };
  /** Plans whose scanner this worker holds loaded. */
  plans: { plan: string; scanner: string; scannerSha256: string; from: string; to: string }[];
  running: PresenceShard[];
  shardsDone: number;
  tasksDone: number;
  /** Shards it refused (unsigned, another secret, other market data): a figure above 0 needs a look. */
  shardsRefused: number;
}

/** What a worker changes as it works; `read()` is the record as it stands. Plain, so it is tested without Redis. */
export interface PresenceTracker {
  planLoaded(plan: PresenceRecord['plans'][number]): void;
  planDropped(plan: string): void;
  shardStarted(shard: Omit<PresenceShard, 'since'>): void;
  shardEnded(shard: string, ok: boolean): void;
  shardRefused(): void;
  read(): PresenceRecord;
}

export function trackPresence(o: { threads: number; db: string; now?: () => Date }): PresenceTracker {
  const now = o.now ?? (() => new Date());
  const started = now().toISOString();
  const id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const plans = new Map<string, PresenceRecord['plans'][number]>();
  const running = new Map<string, PresenceShard>();
  const counts = { shardsDone: 0, tasksDone: 0, shardsRefused: 0 };
  return {
    planLoaded: (p) => void plans.set(p.plan, p),
    planDropped: (plan) => void plans.delete(plan),
    shardStarted: (s) => void running.set(s.shard, { ...s, since: now().toISOString() }),
    shardEnded(shard, ok) {
      const s = running.get(shard);
      running.delete(shard);
      if (ok && s) {
        counts.shardsDone++;
        counts.tasksDone += s.tasks;
      }
    },
    shardRefused: () => void counts.shardsRefused++,
    read: () => ({
      id, host: os.hostname(), pid: process.pid, threads: o.threads, version: VERSION, startedAt: started, updatedAt: now().toISOString(),
      market: describeDb(o.db),
      plans: [...plans.values()],
      running: [...running.values()],
      ...counts,
    }),
  };
}

function describeDb(db: string): PresenceRecord['market'] {
  try {
    const st = fs.statSync(db);
    return { db, bytes: st.size, modifiedAt: st.mtime.toISOString() };
  } catch {
    return { db, bytes: 0, modifiedAt: null };
  }
}

export interface Announcement {
  /** Stops refreshing and removes the key: a worker stopped on purpose leaves the listing at once. */
  stop(): Promise<void>;
}

/** Writes the tracker's record under the worker's key now and every refresh, until stopped. */
export function announcePresence(redis: Redis, tracker: PresenceTracker): Announcement {
  const key = PRESENCE_PREFIX + tracker.read().id;
  // A refresh that fails (Redis away for a moment) is retried by the next one; the key lapses meanwhile.
  const write = () => redis.set(key, JSON.stringify(tracker.read()), 'PX', PRESENCE_TTL_MS).catch(() => {});
  void write();
  const timer = setInterval(write, PRESENCE_REFRESH_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.del(key).catch(() => {});
    },
  };
}
