/**
 * Stops a step that runs longer than the step timeout. It polls the shared progress probes of running
 * tasks (no message per step) and aborts a task whose step counter has not moved for too long; the pool
 * then terminates that worker, the only way to stop a scanner stuck in a synchronous loop.
 */
import { readProbe } from '../runtime/progress-probe.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import { PERSISTENT_START_TIMEOUT_MS } from '../scanners/script/persistent-script.js';

/**
 * Scripts and naive runners enforce the step timeout on their own child process; the watchdog is then only a
 * backstop for a worker that stopped answering, so it must not race the child's own timer, nor the longer
 * wait for a persistent script's first READY (else a script that never says READY is reported as a step
 * timeout, once per ticker-day).
 */
export function chooseWatchdogMs(config: Pick<WorkerConfig, 'mode' | 'scanner' | 'stepTimeoutMs'>): number {
  const startsProcesses = config.mode === 'naive' || config.scanner.kind === 'script';
  return startsProcesses ? Math.max(config.stepTimeoutMs, PERSISTENT_START_TIMEOUT_MS) + 5_000 : config.stepTimeoutMs;
}

interface Watched {
  probe: SharedArrayBuffer;
  onTimeout: (date: string | null) => void;
  lastSteps: number;
  lastMoveAt: number | null;
  fired: boolean;
}

export class StepWatchdog {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly timeoutMs: number, private readonly now: () => number = Date.now) {}

  watch(probe: SharedArrayBuffer, onTimeout: (date: string | null) => void): () => void {
    const entry: Watched = { probe, onTimeout, lastSteps: -1, lastMoveAt: null, fired: false };
    this.watched.add(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.check(), Math.max(10, Math.min(1000, this.timeoutMs / 4)));
      this.timer.unref();
    }
    return () => {
      this.watched.delete(entry);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** One pass over the running tasks; public so tests can drive it with a fake clock. */
  check(): void {
    const now = this.now();
    for (const w of this.watched) {
      const p = readProbe(w.probe);
      if (!p.started || p.finished || w.fired) continue;
      if (p.steps !== w.lastSteps || w.lastMoveAt === null) {
        w.lastSteps = p.steps;
        w.lastMoveAt = now;
      } else if (now - w.lastMoveAt >= this.timeoutMs) {
        w.fired = true;
        w.onTimeout(p.date);
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watched.clear();
  }
}
