/**
 * The progress bar's line, from a run's progress: pure, so what a user sees is unit-tested. The bar moves
 * with steps (a task answers only at its end), speed and ETA count only this session's work (a resumed run's
 * kept ticker-days took no time here), and the ETA is `—` until there is a rate to estimate from: an ETA
 * at 0% would be a guess presented as a measurement.
 */
import type { Progress } from '../engine/run-result.js';
import { formatCount, formatQuantity } from '../report/format-number.js';

const BAR_WIDTH = 24;
/** Before this much time has passed, a rate is start-up noise (workers loading the scanner). */
const MIN_ESTIMATE_MS = 1000;

export interface ProgressEstimate {
  /** Share of the run's ticker-days done, 0..1 (1 only once every ticker-day is). */
  fraction: number;
  /** This session's steps per second; null before any time has passed. */
  stepsPerSec: number | null;
  /** Time left; null until it can be estimated. */
  etaMs: number | null;
}

export function estimateProgress(p: Progress): ProgressEstimate {
  const total = p.ticker_days_planned;
  if (total <= 0) return { fraction: 0, stepsPerSec: null, etaMs: null };
  const daysDone = Math.min(p.tickerDaysDone, total);
  // Steps per ticker-day: as measured on the answered ones, else as planned from the bars in range.
  const perDay = p.ticker_days > 0 && p.steps > 0 ? p.steps / p.ticker_days : p.stepsPlanned / total;
  const byDays = daysDone / total;
  const bySteps = perDay > 0 ? p.stepsDone / (perDay * total) : 0;
  const fraction = daysDone >= total ? 1 : Math.min(Math.max(byDays, bySteps), 0.999);
  const started = p.elapsedMs >= MIN_ESTIMATE_MS;
  const newSteps = Math.max(0, p.stepsDone - p.stepsKept);
  const stepsPerSec = p.elapsedMs > 0 ? (newSteps * 1000) / p.elapsedMs : null;
  const newFraction = fraction - Math.min(p.tickerDaysKept, total) / total;
  const etaMs = started && newFraction > 0 && fraction > 0 ? ((1 - fraction) * p.elapsedMs) / newFraction : null;
  return { fraction, stepsPerSec, etaMs };
}

/** `12s`, `2m05s`, `1h04m`: whole units, as a person reads a countdown. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(s / 3600);
  return `${h}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The whole line, cut to `width` characters so that it never wraps (a wrapped line cannot be redrawn).
 * `workers`: the queue workers connected, for a run over the queue (null: a local run, not shown).
 */
export function formatProgressLine(p: Progress, label: string | null, width: number, workers: number | null = null): string {
  const e = estimateProgress(p);
  const filled = Math.floor(e.fraction * BAR_WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
  const parts = [
    `${label ? `${label} ` : ''}${bar} ${Math.floor(e.fraction * 100)}%`,
    `${formatCount(Math.min(p.tickerDaysDone, p.ticker_days_planned))}/${formatCount(p.ticker_days_planned)} ticker-days`,
    `${formatQuantity(e.stepsPerSec, 'rate', { none: '—' })} steps/s`,
    `${formatCount(p.signals)} signals`,
    `${formatCount(p.failures)} failed`,
    ...(workers === null ? [] : [`${formatCount(workers)} worker${workers === 1 ? '' : 's'}`]),
    `ETA ${e.etaMs === null ? '—' : formatDuration(e.etaMs)}`,
  ];
  const line = parts.join(' | ');
  return [...line].length <= width ? line : [...line].slice(0, Math.max(0, width - 1)).join('') + '…';
}
