/**
 * The workers connected to a queue, from their presence keys (worker-presence.ts): read-only, and without the
 * queue secret, which guards what workers run, not what they say about themselves (anyone who can read the
 * queue's Redis reads the jobs too: the queue must be private, docs/cluster.md).
 */
import type { Redis } from 'ioredis';
import { PRESENCE_PREFIX, type PresenceRecord } from './worker-presence.js';

/** Every worker's record, by host then pid: the same cluster lists the same way. */
export async function listWorkers(redis: Redis): Promise<PresenceRecord[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${PRESENCE_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const records: PresenceRecord[] = [];
  for (const v of values) {
    // A key that lapsed between SCAN and MGET, or one that is not a worker's: left out.
    if (v === null) continue;
    try {
      const r = JSON.parse(v) as PresenceRecord;
      if (r && typeof r.id === 'string') records.push(r);
    } catch {
      // not a record
    }
  }
  return records.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.pid - b.pid || (a.id < b.id ? -1 : 1)));
}
