/**
 * What a coordinator shows of the queue while its run goes: the workers connected, on the progress line, and
 * a notice when none is (a run over the queue with no worker waits without a word otherwise). Polls the
 * workers' presence keys (src/cluster/list-workers.ts) on a connection of its own.
 */
import type { ProgressView } from './progress-bar.js';

/** How long a run goes without a worker before it says so: a worker starting beside it needs a few seconds. */
export const NO_WORKER_NOTICE_MS = 5000;

export interface QueueWatch {
  dispose(): void;
}

/** Nothing to watch without a queue. `db`: the coordinator's market database, named in the start command. */
export function watchQueue(url: string | undefined | null, db: string | undefined, view: ProgressView, o: { noticeMs?: number; pollMs?: number } = {}): QueueWatch {
  if (!url) return { dispose() {} };
  let disposed = false;
  let stop = () => {};
  // The Redis client loads only for runs over the queue: a local run's start-up never pays for it.
  void (async () => {
    const [{ connectRedis }, { listWorkers }, { PRESENCE_REFRESH_MS }, { formatNoWorker }] = await Promise.all([
      import('../cluster/redis-connection.js'), import('../cluster/list-workers.js'), import('../cluster/worker-presence.js'), import('./format-workers.js'),
    ]);
    if (disposed) return;
    const redis = connectRedis(url);
    const noticeMs = o.noticeMs ?? NO_WORKER_NOTICE_MS;
    let noneSince = Date.now();
    let noticed = false;
    const poll = async () => {
      const n = await listWorkers(redis).then((w) => w.length, () => null);
      if (disposed || n === null) return;
      view.setWorkers(n);
      if (n > 0) {
        // Workers gone again later are a new wait, worth its own notice.
        noneSince = Date.now();
        noticed = false;
      } else if (!noticed && Date.now() - noneSince >= noticeMs) {
        noticed = true;
        view.notice(`barwise: ${formatNoWorker(url, db)}\n`);
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), o.pollMs ?? Math.min(PRESENCE_REFRESH_MS, noticeMs));
    timer.unref();
    stop = () => {
      clearInterval(timer);
      redis.disconnect();
    };
  })();
  return {
    dispose() {
      disposed = true;
      stop();
    },
  };
}
