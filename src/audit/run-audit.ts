/**
 * runAudit: the same scanner, the same ticker-days, run twice: in full-day mode (as a non-realtime backtest
 * over whole days would run it) and in realtime mode (bar by bar, lookahead impossible). Then every
 * full-day signal is classified by whether realtime could have known it then. docs/audit.md has the rules.
 */
import type { TradeStats } from '../stats/compute-stats.js';
import type { BacktestOptions } from '../config/backtest-options.js';
import { LIBRARY, checkOptionValue, findRow, nameKey, readDefault, type Caller } from '../config/options.js';
import { BarwiseError } from '../errors.js';
import { ensureBundledStore } from '../data/bundled-store.js';
import { exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import { openMarketStore, type MarketStore } from '../data/market-store.js';
import { runBacktest } from '../engine/run-backtest.js';
import type { RunHooks, RunResult } from '../engine/run-result.js';
import { buildDays, sessionStamps } from '../runtime/build-days.js';
import type { Failure } from '../types.js';
import type { AuditResult, AuditStats, UnauditedDay } from './audit-types.js';
import { classifySignals, summarizeAudit } from './classify-signals.js';
import { checkTaskOrder } from './check-task-order.js';

/** Everything a backtest takes except the mode (the audit runs both) and a signal cap (it would bias the comparison). */
export type AuditOptions = Omit<BacktestOptions, 'mode' | 'maxSignals' | 'resume'> & {
  /** Ticker-days of the realtime run re-run alone to detect order-dependent results (default 8; 0: none). */
  orderSample?: number;
  /**
   * Continue an interrupted audit: its full-day run and, when it had started, its realtime run (the ids its
   * interrupt notice names). Their finished ticker-days are kept; the options must be the runs' own.
   */
  resumeRuns?: AuditResume;
};

export interface AuditResume {
  fullDay: number;
  realtime?: number;
}

export interface AuditHooks extends Omit<RunHooks, 'onStart'> {
  /** Called as each of the two runs starts. */
  onRunStart?(run: 'full-day' | 'realtime', info: Parameters<NonNullable<RunHooks['onStart']>>[0]): void;
}

export async function runAudit(options: AuditOptions, hooks: AuditHooks = {}, caller: Caller = LIBRARY): Promise<AuditResult> {
  const db = options.db ?? (await ensureBundledStore());
  for (const key of ['mode', 'maxSignals'] as const) {
    if ((options as BacktestOptions)[key] !== undefined) {
      const refusal = findRow('run', key).refusedBy!.audit!;
      throw new BarwiseError('USAGE', refusal.message.replace(/--[\w-]+/, nameKey('run', key, caller)), refusal.hint);
    }
  }
  if ((options as BacktestOptions).resume !== undefined) {
    throw new BarwiseError('USAGE', `${nameKey('run', 'resume', caller)} does not apply to an audit: it continues two runs`,
      `Continue an interrupted audit with ${nameKey('audit', 'resumeRuns', caller)}, naming its full-day and realtime runs.`);
  }
  const { orderSample = readDefault<number>('audit', 'orderSample'), resumeRuns, ...rest } = options;
  checkOptionValue(findRow('audit', 'orderSample'), orderSample, caller);
  const base: BacktestOptions = { ...rest, db };
  const run = (mode: 'full-day' | 'realtime', resume: number | undefined) => runBacktest({ ...base, mode, ...(resume ? { resume } : {}) }, {
    ...hooks,
    onStart: (info) => hooks.onRunStart?.(mode, info),
  }, caller);
  const fullDay = await run('full-day', resumeRuns?.fullDay);
  // Stopped in the full-day run, realtime never starts: nothing can be compared yet.
  const realtime = fullDay.run.status === 'interrupted' ? null : await run('realtime', resumeRuns?.realtime);
  if (!realtime) return compareRuns(fullDay, { ...fullDay, signals: [], failures: [], finishedDays: [] }, true);
  const interrupted = realtime.run.status === 'interrupted';
  const order = interrupted || orderSample === 0 ? null : await checkTaskOrder(base, realtime, fullDay.signals, orderSample, hooks.signal);
  const result = compareRuns(fullDay, realtime, interrupted || Boolean(hooks.signal?.aborted));
  result.audit.order_check = order;
  return result;
}

/**
 * Both runs' results → the audit. Only ticker-days both runs finished are classified: a day one run failed,
 * or did not reach before it was stopped, is listed as unaudited with the reason (a signal of the full-day run
 * on a day realtime never ran is no phantom). Reads the audited days' bars to count bars between signals.
 */
export function compareRuns(fullDay: RunResult, realtime: RunResult, interrupted = false): AuditResult {
  const failures: UnauditedDay[] = [
    ...fullDay.failures.map((f) => ({ ...f, run: 'full-day' as const })),
    ...realtime.failures.map((f) => ({ ...f, run: 'realtime' as const })),
  ];
  const failed = failures.map((f) => f as Failure);
  const dayKey = (d: { ticker: string; date: string }) => `${d.ticker}|${d.date}`;
  const finished = (r: RunResult) => (r.finishedDays ? new Set(r.finishedDays.map(dayKey)) : null);
  const [fullDone, realDone] = [finished(fullDay), finished(realtime)];
  const both = (ticker: string, date: string) => [fullDone, realDone].every((set) => !set || set.has(`${ticker}|${date}`));
  const audited = (s: { ticker: string; signal_date: string }) => both(s.ticker, s.signal_date)
    && !failed.some((f) => coversDay(f, s.ticker, s.signal_date));
  const info = fullDay.run;
  const store = openMarketStore(info.db);
  try {
    const session = info.session === 'extended' ? 'extended' : 'regular';
    const unfinished = interrupted || [fullDay, realtime].some((r) => r.run.status === 'interrupted')
      ? listUnfinished(listPlannedDays(store, info, session), fullDone, realDone, failed)
      : [];
    const unaudited = [...failures, ...unfinished];
    const entries = classifySignals(fullDay.signals.filter(audited), realtime.signals.filter(audited), {
      signals: info.signals_mode === 'all' ? 'all' : 'first',
      warmup: info.warmup,
      barIndex: barIndexer(store, info.timeframe, session),
    });
    const status = interrupted ? 'interrupted' : unaudited.length > 0 ? 'partial' : 'completed';
    return {
      audit: {
        scanner: info.scanner,
        signals_mode: info.signals_mode === 'all' ? 'all' : 'first',
        from: info.from,
        to: info.to,
        tickers: info.tickers,
        warmup: info.warmup,
        status,
        summary: summarizeAudit(entries, info.warmup),
        stats: interrupted ? null : compareStats(fullDay.stats, realtime.stats),
        order_check: null,
        notices: [...(realtime.notices ?? []), ...(fullDay.notices ?? [])]
          .filter((n, i, all) => all.findIndex((m) => m.code === n.code && m.message === n.message) === i),
      },
      entries,
      unaudited,
      runs: { full_day: fullDay.run, realtime: realtime.run },
      realtimeResult: realtime,
    };
  } finally {
    store.close();
  }
}

/** The ticker-days the runs were planned over: every date with bars of each ticker in range. */
function listPlannedDays(store: MarketStore, info: RunResult['run'], session: 'regular' | 'extended'): { ticker: string; date: string }[] {
  const days: { ticker: string; date: string }[] = [];
  for (const ticker of info.tickers) {
    const raw = store.readBars(ticker, info.timeframe, exchangeDayStartMs(info.from), exchangeDayStartMs(nextDate(info.to)));
    for (const d of buildDays(ticker, raw, session)) days.push({ ticker, date: d.date });
  }
  return days;
}

/** Planned days one run (or both) did not finish, failures aside: unaudited, in (date, ticker) order. */
function listUnfinished(
  planned: readonly { ticker: string; date: string }[],
  fullDone: ReadonlySet<string> | null,
  realDone: ReadonlySet<string> | null,
  failed: readonly Failure[],
): UnauditedDay[] {
  const out: UnauditedDay[] = [];
  for (const { ticker, date } of planned) {
    if (failed.some((f) => coversDay(f, ticker, date))) continue;
    const inFull = !fullDone || fullDone.has(`${ticker}|${date}`);
    const inReal = !realDone || realDone.has(`${ticker}|${date}`);
    if (inFull && inReal) continue;
    const run = !inFull && !inReal ? 'both' : inFull ? 'realtime' : 'full-day';
    const message = run === 'both' ? 'neither run finished this ticker-day before the audit was stopped'
      : `the ${run} run did not finish this ticker-day before the audit was stopped`;
    out.push({ ticker, date, run, code: 'NOT_FINISHED', message });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}

/** A failure's `date` is a trading date, or `from..to` when a whole task failed. */
function coversDay(f: Failure, ticker: string, date: string): boolean {
  if (f.ticker !== ticker) return false;
  const [from, to = from] = f.date.split('..');
  return date >= from && date <= to;
}

function barIndexer(store: MarketStore, timeframe: string, session: 'regular' | 'extended') {
  const days = new Map<string, number[]>();
  return (ticker: string, date: string, timestamp: number): number => {
    const key = `${ticker}|${date}`;
    let stamps = days.get(key);
    if (!stamps) {
      stamps = sessionStamps(store.readTimestamps(ticker, timeframe, exchangeDayStartMs(date), exchangeDayStartMs(nextDate(date))), session);
      days.set(key, stamps);
    }
    return stamps.indexOf(timestamp);
  };
}

/** Both runs' trade statistics and their difference, when the audit was run with trade rules. */
export function compareStats(fullDay: TradeStats | undefined, realtime: TradeStats | undefined): AuditStats | null {
  if (!fullDay || !realtime) return null;
  const diff: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(realtime)) {
    const f = (fullDay as unknown as Record<string, unknown>)[k];
    if (typeof v === 'number' || v === null) {
      diff[k] = typeof v === 'number' && typeof f === 'number' ? Math.round((v - f) * 1e6) / 1e6 : null;
    }
  }
  return { full_day: fullDay, realtime, diff };
}
