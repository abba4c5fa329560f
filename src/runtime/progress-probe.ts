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
 * Set by the worker when the task has answered inside a batch (src/pool/batch-runner.ts): its steps no longer
 * move, and that is not a stuck step; if the batch's worker dies, its result went with it and it runs again.
 */
const FINISHED = 5;
/**
 * Set by the main thread once it has acted on the task's posted result (recorded it, counted its failures,
 * requested the stop they call for): a worker holds its next task until then after posting a failure.
 */
const HEARD = 6;
const SLOTS = 7;

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
  /**
   * Resolves once the main thread has heard the task's posted result (markHeard). Waiting does not block the
   * thread, so a worker called in-process by tests waits on the same event loop that marks it.
   */
  async heard(): Promise<void> {
    const cells = this.cells;
    if (!cells) return;
    while (Atomics.load(cells, HEARD) === 0) {
      const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(cells, HEARD, 0);
      if (wait.async) await wait.value;
    }
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

/** Main-thread side: the task's posted result has been acted on; a worker holding its next task goes on. */
export function markHeard(buffer: SharedArrayBuffer): void {
  const cells = new Int32Array(buffer);
  Atomics.store(cells, HEARD, 1);
  Atomics.notify(cells, HEARD);
}

/** Atomics.waitAsync (Node 16+), absent from the ES2022 library types the project compiles against. */
interface AtomicsWaitAsync {
  waitAsync(cells: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
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
