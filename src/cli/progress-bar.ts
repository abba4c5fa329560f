/**
 * A progress bar on a terminal (ticker-days done, steps/s, ETA); nothing at all elsewhere, so logs and
 * pipes stay parseable.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../engine/run-result.js';

export interface ProgressView {
  start(total: number): void;
  update(p: Progress): void;
  stop(): void;
}

export function createProgressView(enabled: boolean): ProgressView {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: ' {bar} {percentage}% | {tickerDays} ticker-days | {stepsPerSec} steps/s | {signals} signals | {failures} failed | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  return {
    start(total) {
      bar.start(total, 0, { tickerDays: 0, stepsPerSec: 0, signals: 0, failures: 0 });
    },
    update(p) {
      bar.update(p.tasksDone, {
        tickerDays: p.ticker_days,
        stepsPerSec: p.elapsedMs > 0 ? Math.round((p.steps * 1000) / p.elapsedMs).toLocaleString('en-US') : 0,
        signals: p.signals,
        failures: p.failures,
      });
    },
    stop() {
      bar.stop();
    },
  };
}
