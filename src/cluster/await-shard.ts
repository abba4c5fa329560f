/**
 * Waiting for one shard job's answer. BullMQ's own wait hears the job's end on the queue's event stream; that
 * is not enough when Redis went away: an end announced while this coordinator was cut off is not heard again,
 * and a Redis that restarted without persistence has lost the job itself. So on every reconnection the job is
 * looked up again: finished, its answer is read; gone, it is enqueued again under the same id (harmless: a
 * result is recorded once).
 */
import { Job, type Queue, type QueueEvents } from 'bullmq';

export interface ShardWait {
  /** The job's return value; rejects with its failure reason. */
  answer: Promise<string>;
  /** Looks the job up again (after a reconnection). */
  recheck(): void;
  /** Stops waiting: `answer` rejects with `reason`. */
  cancel(reason: Error): void;
}

export function awaitShard(queue: Queue, events: QueueEvents, jobId: string, enqueue: () => Promise<unknown>): ShardWait {
  let settle: { resolve(v: string): void; reject(e: Error): void } | null = null;
  const answer = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // BullMQ emits each job's end under its id as well; its listener types know only the plain event names.
  const bus = events as unknown as NodeJS.EventEmitter;
  const completed = `completed:${jobId}`;
  const failed = `failed:${jobId}`;
  const done = (f: (s: NonNullable<typeof settle>) => void) => {
    if (!settle) return;
    const s = settle;
    settle = null;
    bus.off(completed, onCompleted);
    bus.off(failed, onFailed);
    f(s);
  };
  const onCompleted = (args: { returnvalue: unknown }) => done((s) => s.resolve(String(args.returnvalue)));
  const onFailed = (args: { failedReason: string }) => done((s) => s.reject(new Error(args.failedReason)));
  bus.on(completed, onCompleted);
  bus.on(failed, onFailed);

  const recheck = async () => {
    if (!settle) return;
    try {
      const job = await Job.fromId(queue, jobId);
      if (!settle) return;
      if (!job) await enqueue();
      else if (job.finishedOn && job.failedReason) onFailed({ failedReason: job.failedReason });
      else if (job.finishedOn) onCompleted({ returnvalue: typeof job.returnvalue === 'string' ? job.returnvalue : JSON.stringify(job.returnvalue) });
    } catch {
      // Cut off again: the next reconnection looks again.
    }
  };
  // Once now: the job may have ended before the listeners were in place.
  void events.waitUntilReady().then(recheck, () => {});
  return {
    answer,
    recheck: () => void recheck(),
    cancel: (reason) => done((s) => s.reject(reason)),
  };
}
