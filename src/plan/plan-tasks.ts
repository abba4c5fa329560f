/**
 * Ticker-days → tasks. A task is one ticker over a window of calendar dates; the worker reads that window's
 * bars itself, so the main thread never touches bars and needs no calendar to plan.
 *
 * Windows are small enough to keep every thread busy (at least 4 tasks per thread) and to bound what a
 * crashed or timed-out task costs to redo (at most ~a month), and large enough that the per-task cost
 * (~25 µs round trip, one indexed read) stays far below the scanning it carries.
 */
import { BarwiseError } from '../errors.js';
import { isValidDate, nextDate } from '../data/exchange-time.js';
import type { Task } from '../runtime/task-types.js';
import type { MarketFingerprint } from './fingerprint-market.js';

const TASKS_PER_THREAD = 4;
const MAX_WINDOW_DAYS = 31;

/** 1990–2100, the years a bar may have: a longer walk means dates computed from bad timestamps. */
const MAX_CALENDAR_DAYS = 110 * 366;

export function calendarDates(from: string, to: string): string[] {
  // Guarded so that dates derived from a broken source (a far-future or unparsable date) fail at once
  // instead of walking without end.
  if (!isValidDate(from) || !isValidDate(to)) {
    throw new BarwiseError('INVALID_RANGE', `cannot plan dates from "${from}" to "${to}": not both YYYY-MM-DD dates`,
      'Pass --from and --to as YYYY-MM-DD; if they come from the database, its timestamps are not epoch milliseconds.');
  }
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDate(d)) {
    if (out.length >= MAX_CALENDAR_DAYS) {
      throw new BarwiseError('INVALID_RANGE', `the range ${from} to ${to} spans more than 110 years`, 'Narrow --from and --to to the years your bars cover.');
    }
    out.push(d);
  }
  return out;
}

export function planTasks(tickers: readonly string[], from: string, to: string, threads: number): Task[] {
  const dates = calendarDates(from, to);
  if (tickers.length === 0 || dates.length === 0) return [];
  const windowsPerTicker = Math.min(
    dates.length,
    Math.max(Math.ceil((threads * TASKS_PER_THREAD) / tickers.length), Math.ceil(dates.length / MAX_WINDOW_DAYS)),
  );
  const windows = splitEvenly(dates, windowsPerTicker);
  const tasks: Task[] = [];
  for (const window of windows) {
    const fromDate = window[0];
    const toDate = window[window.length - 1];
    for (const ticker of tickers) tasks.push({ key: `${ticker}|${fromDate}|${toDate}`, ticker, fromDate, toDate });
  }
  return tasks;
}

function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.floor((p * items.length) / parts);
    const end = Math.floor(((p + 1) * items.length) / parts);
    if (end > start) out.push(items.slice(start, end));
  }
  return out;
}

/** A task of a resumed run: the same task (its key unchanged), leaving out the dates the run finished before. */
export function withSkips(task: Task, finished: readonly string[] | undefined): Task {
  const skip = finished?.filter((d) => d >= task.fromDate && d <= task.toDate) ?? [];
  return skip.length > 0 ? { ...task, skipDates: skip } : task;
}

/** A task named in the column cache by the plan's fingerprint of its ticker (src/data/column-cache.ts). */
export function withMarket(task: Task, plan: { universe: { from: string; to: string }; market: MarketFingerprint }): Task {
  const entry = plan.market.tickers[task.ticker];
  return entry ? { ...task, market: { from: plan.universe.from, to: plan.universe.to, entry } } : task;
}
