/**
 * What every task runner (a backtest's, a sweep's) reads for a task before replaying it: the ticker's bars over
 * the task's window as trading days, each day's context (reference bars, lookback days) and which days to
 * replay (a resumed run leaves out those it finished). One reader, so a backtest and a sweep of the same
 * ticker-day see the same day and context, and a sweep's combination equals its backtest alone.
 */
import { exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import { openMarketStore, type MarketStore } from '../data/market-store.js';
import type { DayContext } from '../day-db/day-context.js';
import { toErrorData, type ErrorData } from '../errors.js';
import { buildColumnDays, buildDays, toColumns, type TradingDay } from './build-days.js';
import { locateColumnCache, readColumnCache, writeColumnCache, type ColumnCacheKey } from '../data/column-cache.js';
import { measureMarket } from '../plan/fingerprint-market.js';
import { createContextReader, type ContextReader } from './build-context.js';
import type { ReplayOptions } from './replay-day.js';
import type { DayOutcome, Task, WorkerConfig } from './task-types.js';

/** A worker's read-only inputs: its own connection to the market store, the context reader, the replay options. */
export interface TaskInputs {
  store: MarketStore;
  context: ContextReader;
  options: ReplayOptions;
  /** The column cache's folder, or null when it is off. */
  columnCache: string | null;
}

export function openTaskInputs(config: WorkerConfig): TaskInputs {
  const store = openMarketStore(config.dbPath);
  const options = { warmup: config.warmup, signals: config.signals, timeframe: config.timeframe, reportedTimeZone: config.reportedTimeZone };
  const context = createContextReader(store, {
    request: config.context ?? { references: [], lookbackDays: 0, dailyBars: 0 }, timeframe: config.timeframe, session: config.session,
  });
  return { store, context, options, columnCache: locateColumnCache() };
}

export interface TaskDays {
  days: TradingDay[];
  /** Indexes into `days` of the days to replay, in date order. */
  todo: number[];
  /** Day `k`'s context; throws when the store cannot give it (that day fails: contextFailure). */
  contextOf(k: number): DayContext;
}

/** The task's days, or the store's error (the whole task then fails: nothing of it could be read). */
export function readTaskDays(inputs: TaskInputs, config: WorkerConfig, task: Task): { ok: true; read: TaskDays } | { ok: false; error: ErrorData } {
  try {
    const days = readWindow(inputs, config, task);
    const contextOf = inputs.context.forTask(task, days);
    const skip = new Set(task.skipDates ?? []);
    const todo = days.flatMap((d, k) => (skip.has(d.date) ? [] : [k]));
    return { ok: true, read: { days, todo, contextOf } };
  } catch (err) {
    return { ok: false, error: toErrorData(err, 'DB_UNREADABLE') };
  }
}

/** The task window's days: from the column cache when it has them, else from the store (keeping them there). */
function readWindow(inputs: TaskInputs, config: WorkerConfig, task: Task): TradingDay[] {
  const fromMs = exchangeDayStartMs(task.fromDate);
  const toMs = exchangeDayStartMs(nextDate(task.toDate));
  const { store, columnCache } = inputs;
  if (columnCache === null || task.market === undefined) return buildDays(task.ticker, store.readBars(task.ticker, config.timeframe, fromMs, toMs), config.session);
  const key: ColumnCacheKey = { ticker: task.ticker, timeframe: config.timeframe, fromMs, toMs, entry: task.market.entry };
  const cached = readColumnCache(columnCache, key);
  if (cached) return buildColumnDays(task.ticker, cached, config.session);
  const { from, to, entry } = task.market;
  // The rows and the ticker's fingerprint in one read transaction: kept only if they are the plan's data.
  const { raw, now } = store.db.transaction(() => ({
    raw: store.readBars(task.ticker, config.timeframe, fromMs, toMs),
    now: measureMarket(store, { tickers: [task.ticker], from, to, timeframe: config.timeframe },
      { references: [], lookbackDays: config.context?.lookbackDays ?? 0, dailyBars: 0 }).fingerprint.tickers[task.ticker],
  }))();
  const columns = toColumns(raw);
  if (columns === null) return buildDays(task.ticker, raw, config.session);
  if (now !== undefined && now.every((v, i) => v === entry[i])) writeColumnCache(columnCache, key, columns);
  return buildColumnDays(task.ticker, columns, config.session);
}

/** The outcome of a day whose context could not be read: failed, never replayed. */
export function contextFailure(day: TradingDay, err: unknown): DayOutcome {
  return { date: day.date, bars: day.barCount, steps: 0, skipped: false, signals: [], error: toErrorData(err, 'DB_UNREADABLE') };
}
