/**
 * The progress bar on a terminal, drawn by cli-progress; nothing at all elsewhere, so logs and pipes stay
 * parseable. The text of the line is ours (`formatProgressLine`, through the library's `format` function, cut
 * to the width the library reads from the terminal); the library draws it, throttles redraws to `fps`, and
 * clears it.
 *
 * The bar owns the terminal's last line: anything else printed while it shows (a Ctrl-C notice, a warning, a
 * batch job line) goes through `notice`, which hands the text to `MultiBar.log`, so it is printed above the
 * bar and no fragment of the bar is left behind. Two settings make that whole:
 * - `log` only buffers the text until the next frame, and `stop` drops what is still buffered
 *   (npkgz/cli-progress#145), so `notice` draws the frame at once (`MultiBar.update`, the frame its timer
 *   draws, public in its typings): a notice is on the screen when `notice` returns, in order with what the CLI
 *   writes itself next.
 * - a frame redraws a bar only when its text changed, and the log has just cleared the bar's line, so the
 *   bar would be gone until its figures next change: `forceRedraw` draws it every frame (npkgz/cli-progress#48).
 * `linewrap: true` keeps the terminal's own line wrapping on (the library would otherwise switch it off while
 * the bar shows, which would cut long notices at the right edge and stay off if the process died without
 * `stop`); the line never wraps because it is cut to the width first.
 *
 * Each `start` shows a new MultiBar, and `stop` clears it (`clearOnComplete`): a stopped MultiBar keeps its bars
 * and would draw the old one again beside a new one.
 */
import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';
import type { Progress } from '../engine/run-result.js';
import { formatProgressLine } from './progress-line.js';

/**
 * cli-progress, loaded when a bar is first drawn: a run into a pipe, a log or with --no-progress (every run the
 * tests and cron jobs start) does not pay its load at start-up.
 */
const loadCliProgress = (): typeof cliProgress => createRequire(import.meta.url)('cli-progress') as typeof cliProgress;

/** Frames per second: tasks can end thousands of times a second, a person reads a few changes a second. */
const FPS = 10;

export interface ProgressView {
  /** Shows the bar from here on, with a label before it (`1/2 full-day`, `job 2/5 gaps`). */
  start(label?: string | null): void;
  update(p: Progress): void;
  /** The queue workers connected, shown on the line of a run over the queue (null: not shown). */
  setWorkers(n: number | null): void;
  /** Prints text (ending in a newline) above the bar. */
  notice(text: string): void;
  /** Clears the bar; `start` shows it again. */
  stop(): void;
  /** Clears the bar for good: the run is stopping, and only its summary follows. */
  close(): void;
}

/** What the view writes to: process.stderr, or a fake in tests. The bar is drawn only where `isTTY` is true. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

interface BarPayload {
  progress: Progress;
  label: string | null;
  workers: number | null;
}

/** The line from our formatter, one column short of the width so that the cursor never sits past the edge. */
function formatBarLine(_options: cliProgress.Options, params: cliProgress.Params, payload: BarPayload): string {
  return formatProgressLine(payload.progress, payload.label, params.maxWidth - 1, payload.workers);
}

export function createProgressView(enabled: boolean, stream: ProgressStream = process.stderr): ProgressView {
  if (!enabled || stream.isTTY !== true) {
    return { start() {}, update() {}, setWorkers() {}, notice: (text) => void stream.write(text), stop() {}, close() {} };
  }
  let active = false;
  let closed = false;
  let label: string | null = null;
  let workers: number | null = null;
  let last: Progress | null = null;
  // The MultiBar and its bar exist from the first update after `start` (the line needs a Progress) to `stop`.
  let shown: { multi: cliProgress.MultiBar; bar: cliProgress.SingleBar } | null = null;
  const show = (progress: Progress) => {
    const multi = new (loadCliProgress().MultiBar)({
      // cli-progress only writes to its stream and reads `isTTY` and `columns` from it.
      stream: stream as NodeJS.WritableStream,
      format: formatBarLine as cliProgress.GenericFormatter,
      fps: FPS,
      forceRedraw: true,
      clearOnComplete: true,
      linewrap: true,
      hideCursor: false,
      gracefulExit: false,
    });
    const bar = multi.create(1, 0, { progress, label, workers } satisfies BarPayload);
    shown = { multi, bar };
    // The first frame now rather than one frame later.
    multi.update();
  };
  const clear = () => {
    shown?.multi.stop();
    shown = null;
  };
  return {
    start(l = null) {
      if (closed) return;
      clear();
      active = true;
      label = l;
    },
    update(p) {
      if (!active) return;
      last = p;
      if (shown) shown.bar.update({ progress: p, workers });
      else show(p);
    },
    setWorkers(n) {
      workers = n;
      if (shown && last) shown.bar.update({ progress: last, workers });
    },
    notice(text) {
      if (!shown) {
        stream.write(text);
        return;
      }
      shown.multi.log(text);
      shown.multi.update();
    },
    stop() {
      clear();
      active = false;
    },
    close() {
      clear();
      active = false;
      closed = true;
    },
  };
}
