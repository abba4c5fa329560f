/**
 * The coordinator's hold on Redis. ioredis reconnects by itself (and BullMQ waits for it), so a Redis that
 * restarts, or a network that drops for a while, costs only time; but a Redis gone for good would leave the run
 * waiting forever. This watches the connections: when all are back after a loss it says so (the shards in
 * flight are then looked up again, await-shard.ts), and when one has been down `timeoutMs` it gives up once.
 */
import type { Redis } from 'ioredis';

export interface QueueLinkHooks {
  onBack(): void;
  onLost(downMs: number): void;
}

/** How often the bound is checked. */
const CHECK_MS = 250;

export function watchQueueLink(connections: Redis[], timeoutMs: number, hooks: QueueLinkHooks): { close(): void } {
  const down = new Map<Redis, number>();
  let lostOnce = false;
  const offs: (() => void)[] = [];
  for (const c of connections) {
    const onDown = () => {
      if (!down.has(c)) down.set(c, Date.now());
    };
    const onReady = () => {
      if (!down.delete(c)) return;
      if (down.size === 0 && !lostOnce) hooks.onBack();
    };
    c.on('close', onDown);
    c.on('reconnecting', onDown);
    c.on('ready', onReady);
    offs.push(() => {
      c.off('close', onDown);
      c.off('reconnecting', onDown);
      c.off('ready', onReady);
    });
  }
  const timer = setInterval(() => {
    if (lostOnce || down.size === 0) return;
    const since = Math.min(...down.values());
    if (Date.now() - since >= timeoutMs) {
      lostOnce = true;
      hooks.onLost(Date.now() - since);
    }
  }, CHECK_MS);
  timer.unref();
  return {
    close: () => {
      clearInterval(timer);
      for (const off of offs) off();
    },
  };
}
