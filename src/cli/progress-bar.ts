/**
 * The progress bar on a terminal; nothing at all elsewhere, so logs and pipes stay parseable. It owns the
 * terminal's last line: anything else printed while it shows (a Ctrl-C notice, a warning) goes through
 * `notice`, which clears the line first, so no text is ever printed over a half-drawn bar and no fragment of
 * the bar is left behind.
 */
import type { Progress } from '../engine/run-result.js';
import { formatProgressLine } from './progress-line.js';

/** Redraws at most this often: tasks can end thousands of times a second. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

export interface ProgressView {
  /** Shows the bar from here on, with a label before it (`1/2 full-day`, `job 2/5 gaps`). */
  start(label?: string | null): void;
  update(p: Progress): void;
  /** Prints text (ending in a newline) above the bar. */
  notice(text: string): void;
  /** Clears the bar; `start` shows it again. */
  stop(): void;
  /** Clears the bar for good: the run is stopping, and only its summary follows. */
  close(): void;
}

interface Stream {
  write(text: string): unknown;
  columns?: number;
}

export function createProgressView(enabled: boolean, stream: Stream = process.stderr): ProgressView {
  if (!enabled) {
    return { start() {}, update() {}, notice: (text) => void stream.write(text), stop() {}, close() {} };
  }
  let active = false;
  let closed = false;
  let label: string | null = null;
  let shown: string | null = null;
  let last: Progress | null = null;
  let drawnAt = 0;
  const draw = () => {
    if (!last) return;
    const line = formatProgressLine(last, label, (stream.columns ?? 80) - 1);
    stream.write(CLEAR_LINE + line);
    shown = line;
    drawnAt = Date.now();
  };
  const clear = () => {
    if (shown !== null) stream.write(CLEAR_LINE);
    shown = null;
  };
  return {
    start(l = null) {
      if (closed) return;
      clear();
      active = true;
      label = l;
      last = null;
    },
    update(p) {
      if (!active) return;
      last = p;
      if (Date.now() - drawnAt >= REDRAW_MS || shown === null) draw();
    },
    notice(text) {
      const redraw = shown !== null;
      clear();
      stream.write(text);
      if (redraw && active) draw();
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
