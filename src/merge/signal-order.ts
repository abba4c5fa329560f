/**
 * The total order of a run's signals, trades and failures, and the key signals are de-duplicated by, said once.
 * The TypeScript comparators (merge, audit), the results database's `ORDER BY`s and the key `runs --compare`
 * matches signals by are all derived from the tables below, so an in-memory merge and a read back from SQLite can
 * never disagree on which signal comes first or which duplicate stands.
 *
 * Why this order: completion order must never show in the output, so signals sort by date, then bar start,
 * then ticker, then their sequence within the step (a scanner may report several at one bar). A trade comes
 * from exactly one signal and sorts by that signal's key, held in the trade's own columns. SQLite compares
 * TEXT with BINARY collation, which orders the ASCII dates, times and tickers exactly as `<` does here.
 */
import type { Failure, Signal, Trade } from '../types.js';

type SortKind = 'text' | 'number';

/** One key of the total order: the signal's field (= signals column) and the trade's field that holds it. */
interface OrderKey {
  signal: keyof Signal & string;
  trade: keyof Trade & string;
  kind: SortKind;
}

export const TOTAL_ORDER = [
  { signal: 'signal_date', trade: 'date', kind: 'text' },
  { signal: 'timestamp', trade: 'signal_ts', kind: 'number' },
  { signal: 'ticker', trade: 'ticker', kind: 'text' },
  { signal: 'seq', trade: 'seq', kind: 'number' },
] as const satisfies readonly OrderKey[];

/** Two signals with the same values here are one signal: the first in the total order stands. */
export const SIGNAL_DEDUP_KEY = ['ticker', 'signal_date', 'signal_time', 'direction'] as const satisfies readonly (keyof Signal)[];

/** Failures: at most one per ticker-day, so date and ticker order them totally. */
export const FAILURE_ORDER = ['date', 'ticker'] as const satisfies readonly (keyof Failure)[];

/** The signals table's columns of the total order, as an `ORDER BY` list (also a row-value tuple). */
export const SIGNAL_ORDER_SQL = TOTAL_ORDER.map((k) => k.signal).join(', ');
/** The trades table's columns of the same order, in the same positions as SIGNAL_ORDER_SQL. */
export const TRADE_ORDER_SQL = TOTAL_ORDER.map((k) => k.trade).join(', ');
export const FAILURE_ORDER_SQL = FAILURE_ORDER.join(', ');

export const compareSignals = buildComparator<Signal>(TOTAL_ORDER.map((k) => ({ field: k.signal, kind: k.kind })));
/** Trades, and candidate trades (src/portfolio), which carry the same signal key. */
export const compareTrades = buildComparator<Pick<Trade, (typeof TOTAL_ORDER)[number]['trade']>>(TOTAL_ORDER.map((k) => ({ field: k.trade, kind: k.kind })));

/** The de-duplication key as one string; NUL cannot occur in a ticker, date or time. */
export const signalKey: (s: Pick<Signal, (typeof SIGNAL_DEDUP_KEY)[number]>) => string = compile(
  ['s'], SIGNAL_DEDUP_KEY.map((f) => `(s.${identifier(f)} ?? '')`).join(` + '\\u0000' + `),
);

/**
 * Comparators and keys are compiled from the tables above once, at load: a generic loop over the keys (a
 * property read by name per key per comparison) sorted 200k signals 2× slower than the hand-written
 * comparator, the compiled one is that comparator. Only the constant field names above go into the code.
 */
/** Text in SQLite's BINARY collation, which `<` matches on the ASCII dates, times, tickers and reasons (see above). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildComparator<T>(keys: readonly { field: keyof T & string; kind: SortKind }[]): (a: T, b: T) => number {
  return compile(['a', 'b'], keys.map(({ field, kind }) => {
    const f = identifier(field);
    return kind === 'number' ? `(a.${f} - b.${f})` : `(a.${f} < b.${f} ? -1 : a.${f} > b.${f} ? 1 : 0)`;
  }).join(' || '));
}

function compile<F>(params: string[], expression: string): F {
  return new Function(...params, `return ${expression};`) as F;
}

function identifier(field: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(field)) throw new Error(`not a field name: ${field}`);
  return field;
}
