/**
 * Runs something (a batch) on a cron schedule in a long-lived process, never two at once: a tick that comes
 * while the previous run is still going is skipped and reported, not queued (a queue would pile up behind a
 * slow night and run stale batches back to back).
 *
 * croner does the calendar: no dependencies, time zones, and it reads the clock through Date and setTimeout,
 * so tests drive it with a fake clock.
 */
import { Cron } from 'croner';
import { BarwiseError } from '../errors.js';

export interface ScheduleOptions {
  /** Five or six fields, e.g. "0 2 * * 1-5" (02:00 Monday to Friday). */
  cron: string;
  /** IANA time zone of the cron fields; default the machine's. */
  timezone?: string;
  run(firedAt: Date): Promise<void>;
  /** A tick came while the previous run was still going. */
  onSkip?(firedAt: Date): void;
  /** The run rejected; the schedule goes on. */
  onError?(err: unknown): void;
}

export interface Schedule {
  nextRun(): Date | null;
  isRunning(): boolean;
  /** Runs now, as a tick would (skipped if a run is going); resolves when that run ends. */
  trigger(): Promise<void>;
  /** Stops ticking; resolves when a run in progress has ended. */
  stop(): Promise<void>;
}

export function scheduleBatch(o: ScheduleOptions): Schedule {
  let current: Promise<void> | null = null;
  let job: Cron;
  try {
    job = new Cron(o.cron, { timezone: o.timezone, catch: false }, () => void tick());
  } catch (err) {
    throw new BarwiseError('USAGE', `--cron "${o.cron}" is not a cron expression: ${(err as Error).message}`,
      'Write five fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * 1-5" for 02:00 on weekdays.');
  }
  function tick(): Promise<void> {
    const firedAt = new Date();
    if (current) {
      o.onSkip?.(firedAt);
      return Promise.resolve();
    }
    const run = Promise.resolve().then(() => o.run(firedAt)).catch((err) => o.onError?.(err)).finally(() => {
      current = null;
    });
    current = run;
    return run;
  }
  return {
    nextRun: () => job.nextRun(),
    isRunning: () => current !== null,
    trigger: tick,
    async stop() {
      job.stop();
      await current;
    },
  };
}

