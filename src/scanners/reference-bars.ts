/**
 * `ctx.refs`: reference tickers' bars so far, and their past (`history`, `daily`), built per ticker on first
 * use (a scanner that reads one reference pays for one slice). Asking for a ticker that was not declared is
 * a scanner bug, said plainly.
 */
import { BarwiseError } from '../errors.js';
import type { Bar, DailyBar, ReferenceBars } from '../types.js';

/** Where a reference's bars so far, previous days and daily bars come from (called once per ticker and part). */
export interface ReferenceLookup {
  bars(ticker: string): readonly Bar[];
  history(ticker: string): readonly Bar[];
  daily(ticker: string): readonly DailyBar[];
}

export function makeReferenceBars(tickers: readonly string[], lookup: ReferenceLookup): ReferenceBars {
  const seen = new Map<string, readonly unknown[]>();
  const read = <T>(part: keyof ReferenceLookup, ticker: string): readonly T[] => {
    const key = String(ticker).toUpperCase();
    const cacheKey = `${part}|${key}`;
    let got = seen.get(cacheKey);
    if (got) return got as readonly T[];
    if (!tickers.includes(key)) {
      throw new BarwiseError('SCANNER_INVALID', `ctx.refs.${part === 'bars' ? 'get' : part}("${ticker}"): ${key} is not a reference ticker of this run (references: ${tickers.join(', ') || 'none'})`,
        `Declare it: references: ['${key}'] in a module scanner, "-- references: ${key}" in an SQL header, or --references ${key}.`);
    }
    got = lookup[part](key);
    seen.set(cacheKey, got);
    return got as readonly T[];
  };
  return Object.freeze({
    tickers,
    get: (ticker: string) => read<Bar>('bars', ticker),
    history: (ticker: string) => read<Bar>('history', ticker),
    daily: (ticker: string) => read<DailyBar>('daily', ticker),
  });
}
