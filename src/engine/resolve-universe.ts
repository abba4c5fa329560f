/**
 * Which tickers and dates a run covers, checked against the store before any worker starts.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';
import { exchangeDate, exchangeDayStartMs, nextDate } from '../data/exchange-time.js';
import { openMarketStore, type MarketStore } from '../data/market-store.js';
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
  if (o.tickers) tickers = matchTickers(o.tickers, all, `no ${o.timeframe} bars in ${store.path}`);
  const checked = checkTickerTimestamps(store, o.timeframe, tickers);
  let { from, to } = o;
  if (from === null || to === null) {
    // The database's bounds: with the ticker index, timeBounds reads the very values the check read of every ticker.
    const bounds = (tickers === all && store.tickerIndexed ? checked : null) ?? store.timeBounds(o.timeframe)!;
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
  const kept = new Set(inRange);
  return { tickers: inRange, withoutBars: tickers.filter((t) => !kept.has(t)), from, to };
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

/**
 * Requested tickers as the database spells them. Flags and ticker files are upper-cased, but a database may
 * hold `aaa` or `Brk.b`: a ticker that is not there as asked is matched without regard to case when exactly
 * one spelling fits. Otherwise it is unknown, and the error names the database's near spellings
 * (`BRK B` → `BRK.B`) and a sample of its tickers.
 */
export function matchTickers(requested: readonly string[], all: readonly string[], where: string): string[] {
  const known = new Set(all);
  const byUpper = new Map<string, string[]>();
  for (const t of all) byUpper.set(t.toUpperCase(), [...(byUpper.get(t.toUpperCase()) ?? []), t]);
  const matched: string[] = [];
  const unknown: string[] = [];
  const near: { typed: string; meant: string }[] = [];
  for (const t of requested) {
    if (known.has(t)) {
      matched.push(t);
      continue;
    }
    const spellings = byUpper.get(t.toUpperCase()) ?? [];
    if (spellings.length === 1) {
      matched.push(spellings[0]);
      continue;
    }
    if (spellings.length > 1) {
      throw new BarwiseError('UNKNOWN_TICKER', `ticker ${t} is ambiguous: the database holds ${spellings.join(' and ')}`,
        'Spell the ticker exactly as the database does; when two spellings are one ticker, merge them in the database.');
    }
    unknown.push(t);
    const key = looseKey(t);
    // A near spelling (case, punctuation) first; else a typo's closest ticker (TSLLA → TSLA).
    const loose = all.filter((d) => looseKey(d) === key);
    const close = loose.length > 0 ? loose : [findClosestWord(t, all)].filter((d): d is string => d !== null);
    near.push(...close.map((d) => ({ typed: t, meant: show(d) })));
  }
  if (unknown.length > 0) {
    const sample = all.slice(0, 12).map(show).join(', ') + (all.length > 12 ? `, … (${all.length} in all)` : '');
    const didYouMean = near.length === 0 ? '' : `Did you mean ${near.map((n) => `${n.typed} → ${n.meant}`).join(', ')}? `;
    throw new BarwiseError('UNKNOWN_TICKER', `unknown ticker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: ${where}`,
      `${didYouMean}Tickers in this database: ${sample}.`);
  }
  return [...new Set(matched)].sort();
}

/** A ticker as a user can see it: quoted when blanks at either end would hide in the message. */
function show(ticker: string): string {
  return /^\S(.*\S)?$/.test(ticker) ? ticker : JSON.stringify(ticker);
}

/** A ticker without case and punctuation: BRK B, brk.b and BRK-B are near spellings of one another. */
function looseKey(ticker: string): string {
  return ticker.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
