/**
 * A few integers in shared memory through which a worker shows the main thread how far it is, without a
 * message per step: the watchdog reads them to spot a step that has run too long (a scanner stuck in a
 * synchronous loop can only be stopped by terminating its worker) and to know which day it was on, and the
 * progress bar reads the steps and finished days of tasks still running (a task answers only at its end, which
 * can be minutes away for a slow scanner).
 */
const STARTED = 0;
const STEPS = 1;
const DAY = 2;
/** Set by the main thread when the run is stopping: the worker returns its finished days before the next. */
const STOP = 3;
/** Ticker-days the task has finished so far. */
const DAYS_DONE = 4;
/**
 * Set by the worker when the task has answered inside a batch (src/pool/task-batches.ts): its steps no longer
 * move, and that is not a stuck step; if the batch's worker dies, its result went with it and it runs again.
 */
const FINISHED = 5;
const SLOTS = 6;

export function createProbe(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/** Worker side. */
export class ProbeWriter {
  private readonly cells: Int32Array | null;
  constructor(buffer: SharedArrayBuffer | undefined) {
    this.cells = buffer ? new Int32Array(buffer) : null;
  }
  started(): void {
    if (this.cells) Atomics.store(this.cells, STARTED, 1);
  }
  /** Called before every scanner call; a plain increment is enough, the reader only needs "it moved". */
  step(): void {
    if (this.cells) this.cells[STEPS]++;
  }
  day(date: string): void {
    if (this.cells) Atomics.store(this.cells, DAY, dateToInt(date));
  }
  /** Called after every ticker-day the task finished (its outcome is kept, whatever it is). */
  dayDone(): void {
    if (this.cells) Atomics.add(this.cells, DAYS_DONE, 1);
  }
  /** Called when the task has its result (a batch goes on to its next task). */
  finished(): void {
    if (this.cells) Atomics.store(this.cells, FINISHED, 1);
  }
  /** True once the main thread asked this task to stop (Ctrl-C): checked between ticker-days. */
  stopRequested(): boolean {
    return this.cells !== null && Atomics.load(this.cells, STOP) === 1;
  }
}

/** Main-thread side: ask the task to return what it finished, at the next ticker-day boundary. */
export function requestStop(buffer: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(buffer), STOP, 1);
}

/** Main-thread side. */
export function readProbe(buffer: SharedArrayBuffer): { started: boolean; finished: boolean; steps: number; daysDone: number; date: string | null } {
  const cells = new Int32Array(buffer);
  const day = Atomics.load(cells, DAY);
  return {
    started: Atomics.load(cells, STARTED) === 1, finished: Atomics.load(cells, FINISHED) === 1,
    steps: Atomics.load(cells, STEPS), daysDone: Atomics.load(cells, DAYS_DONE),
    date: day ? intToDate(day) : null,
  };
}

/**
 * Main-thread side, for the progress line: the steps and finished days alone. It reads the probe of every task
 * handed to the runner (up to 256) at each report, so it builds no date text and no state it does not need.
 */
export function readProgress(buffer: SharedArrayBuffer): { steps: number; daysDone: number } {
  const cells = new Int32Array(buffer);
  return { steps: Atomics.load(cells, STEPS), daysDone: Atomics.load(cells, DAYS_DONE) };
}

function dateToInt(date: string): number {
  return Number(date.replaceAll('-', ''));
}

function intToDate(n: number): string {
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}
