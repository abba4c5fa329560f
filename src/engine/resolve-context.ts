/**
 * What each ticker-day sees besides its own bars (references, previous days, daily bars): flags over the
 * scanner's own options, checked against the store before any worker starts.
 */
import { BarwiseError } from '../errors.js';
import type { MarketStore } from '../data/market-store.js';
import { checkTickerTimestamps } from '../data/check-timestamps.js';
import { DAILY_TIMEFRAME } from '../runtime/build-context.js';
import type { ContextRequest } from '../runtime/task-types.js';
import type { ContextOptions } from '../scanners/scanner-options.js';

export function resolveContext(
  store: MarketStore,
  o: { references: string[] | null; lookbackDays: number | null; dailyBars: number | null; timeframe: string },
  meta: ContextOptions,
  tickers: readonly string[],
): ContextRequest {
  const request: ContextRequest = {
    references: o.references ?? meta.references ?? [],
    lookbackDays: o.lookbackDays ?? meta.lookbackDays ?? 0,
    dailyBars: o.dailyBars ?? meta.dailyBars ?? 0,
  };
  const missing = request.references.filter((t) => store.firstBarTime(t, o.timeframe) === null);
  if (missing.length > 0) {
    // References are upper-cased wherever they are declared; a database that spells one otherwise is named.
    const all = store.listTickers(o.timeframe);
    const spelt = missing.flatMap((t) => all.filter((d) => d !== t && d.toUpperCase() === t).map((d) => `${t} as ${d}`));
    throw new BarwiseError('UNKNOWN_TICKER', `reference ticker(s) ${missing.join(', ')} have no "${o.timeframe}" bars in ${store.path}`
      + (spelt.length > 0 ? ` (the database spells ${spelt.join(', ')}; references are upper case)` : ''),
      spelt.length > 0
        ? 'Store the reference ticker in upper case in ohlcv_data (UPDATE ohlcv_data SET ticker = upper(ticker) on a copy you own), or leave it out of --references.'
        : 'Import the reference ticker\'s bars, or change --references (or the scanner\'s references option).');
  }
  checkTickerTimestamps(store, o.timeframe, request.references);
  // References get daily bars too (their past, as the ticker's): theirs are checked as the tickers' are.
  if (request.dailyBars > 0) checkTickerTimestamps(store, DAILY_TIMEFRAME, [...new Set([...tickers, ...request.references])]);
  if (request.dailyBars > 0 && !tickers.some((t) => store.firstBarTime(t, DAILY_TIMEFRAME) !== null)) {
    throw new BarwiseError('NO_BARS', `daily-bars ${request.dailyBars}: ${store.path} holds no "${DAILY_TIMEFRAME}" bars for the run's tickers`,
      `Make them from the 5-minute bars with \`barwise aggregate --db ${store.path}\`, or import daily bars with timeframe "${DAILY_TIMEFRAME}" into ohlcv_data, or leave out --daily-bars (or the scanner's daily-bars option).`);
  }
  return request;
}
