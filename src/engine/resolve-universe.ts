/**
 * Which tickers and dates a run covers, checked against the store before any worker starts.
 */
import { BarwiseError } from '../errors.js';
import { exchangeDate, exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import { hasIndexLeadingWith, openMarketStore, type MarketStore } from '../data/market-store.js';
import { checkTickerTimestamps } from '../data/check-timestamps.js';

export interface Universe {
  tickers: string[];
  /** Requested tickers that exist but have no bars in the range (left out, reported in the run). */
  withoutBars: string[];
  from: string;
  to: string;
}

export function resolveUniverse(
  store: MarketStore,
  o: { tickers: string[] | null; from: string | null; to: string | null; timeframe: string },
): Universe {
  const all = store.listTickers(o.timeframe);
  if (all.length === 0) {
    throw new BarwiseError('NO_BARS', `${store.path} holds no bars with timeframe "${o.timeframe}"`,
      'Import bars with `npm run import`, or pick the timeframe the database holds with --timeframe.');
  }
  let tickers = all;
  if (o.tickers) {
    const known = new Set(all);
    const unknown = o.tickers.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      const sample = all.slice(0, 12).join(', ') + (all.length > 12 ? `, … (${all.length} in all)` : '');
      throw new BarwiseError('UNKNOWN_TICKER', `unknown ticker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: no ${o.timeframe} bars in ${store.path}`,
        `Tickers in this database: ${sample}.`);
    }
    tickers = [...o.tickers].sort();
  }
  checkTickerTimestamps(store.db, store.path, o.timeframe, tickers, hasIndexLeadingWith(store.db, 'ticker'));
  let { from, to } = o;
  if (from === null || to === null) {
    const bounds = store.timeBounds(o.timeframe)!;
    from ??= exchangeDate(bounds.min);
    to ??= exchangeDate(bounds.max);
  }
  const fromMs = exchangeDayStartMs(from);
  const toMs = exchangeDayStartMs(nextDate(to));
  const inRange = tickers.filter((t) => store.hasBars(t, o.timeframe, fromMs, toMs));
  if (inRange.length === 0) {
    const bounds = store.timeBounds(o.timeframe)!;
    throw new BarwiseError('NO_BARS', `no ${o.timeframe} bars from ${from} to ${to} for ${o.tickers ? tickers.join(', ') : 'any ticker'}`,
      `The database covers ${exchangeDate(bounds.min)} to ${exchangeDate(bounds.max)}.`);
  }
  return { tickers: inRange, withoutBars: tickers.filter((t) => !inRange.includes(t)), from, to };
}

/** resolveUniverse on the database at `dbPath`, opened for this and closed. */
export function resolveUniverseIn(
  dbPath: string,
  o: { tickers: string[] | null; from: string | null; to: string | null; timeframe: string },
): Universe {
  const store = openMarketStore(dbPath);
  try {
    return resolveUniverse(store, o);
  } finally {
    store.close();
  }
}
