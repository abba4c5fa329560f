/**
 * What `barwise workers` prints, and the coordinator's notice when no worker is connected: pure, from the
 * presence records (src/cluster/worker-presence.ts), so the words a user reads are unit-tested.
 */
import { showQueueUrl } from '../cluster/redis-connection.js';
import type { PresenceRecord } from '../cluster/worker-presence.js';
import { formatDuration } from './progress-line.js';

/** The command that starts a worker on this queue; `db` is the coordinator's path where it knows it. */
export function formatStartWorker(url: string, db?: string): string {
  return `npx barwise worker --queue ${showQueueUrl(url)} --db ${db ?? '/path/to/market.db'}`;
}

export function formatNoWorker(url: string, db?: string): string {
  return `no worker is connected to ${showQueueUrl(url)}; start one with: ${formatStartWorker(url, db)} (with the same --queue-secret)`;
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** One block per worker: who it is, its market database, and what it is doing. */
export function formatWorkers(url: string, workers: readonly PresenceRecord[], now: Date): string {
  if (workers.length === 0) return `barwise: ${formatNoWorker(url)}\n`;
  const lines = [`${workers.length} worker${workers.length === 1 ? '' : 's'} connected to ${showQueueUrl(url)}:`];
  for (const w of workers) {
    const up = formatDuration(now.getTime() - Date.parse(w.startedAt));
    const db = `${w.market.db} (${formatBytes(w.market.bytes)}${w.market.modifiedAt ? `, modified ${w.market.modifiedAt.slice(0, 16).replace('T', ' ')}Z` : ''})`;
    lines.push(`  ${w.host} pid ${w.pid}: ${w.threads} thread${w.threads === 1 ? '' : 's'}, ${db}, barwise ${w.version}, up ${up}`);
    const byPlan = new Map<string, number>();
    for (const r of w.running) byPlan.set(r.plan, (byPlan.get(r.plan) ?? 0) + 1);
    if (byPlan.size === 0) lines.push('    idle');
    for (const [plan, n] of byPlan) {
      const p = w.plans.find((x) => x.plan === plan);
      lines.push(`    running ${n} shard${n === 1 ? '' : 's'} of plan ${plan}${p ? ` (${p.scanner}, ${p.from} to ${p.to})` : ''}`);
    }
    lines.push(`    ${w.shardsDone} shard${w.shardsDone === 1 ? '' : 's'} (${w.tasksDone} tasks) done${w.shardsRefused > 0 ? `, ${w.shardsRefused} refused (see its log)` : ''}`);
  }
  return lines.join('\n') + '\n';
}
