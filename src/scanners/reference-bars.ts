/**
 * `ctx.refs`: reference tickers' bars so far, built per ticker on first use (a scanner that reads one
 * reference pays for one slice). Asking for a ticker that was not declared is a scanner bug, said plainly.
 */
import { BarwiseError } from '../errors.js';
import type { Bar, ReferenceBars } from '../types.js';

export function makeReferenceBars(tickers: readonly string[], lookup: (ticker: string) => readonly Bar[]): ReferenceBars {
  const seen = new Map<string, readonly Bar[]>();
  return Object.freeze({
    tickers,
    get(ticker: string): readonly Bar[] {
      const key = String(ticker).toUpperCase();
      let bars = seen.get(key);
      if (bars) return bars;
      if (!tickers.includes(key)) {
        throw new BarwiseError('SCANNER_INVALID', `ctx.refs.get("${ticker}"): ${key} is not a reference ticker of this run (references: ${tickers.join(', ') || 'none'})`,
          `Declare it: references: ['${key}'] in a module scanner, "-- references: ${key}" in an SQL header, or --references ${key}.`);
      }
      bars = lookup(key);
      seen.set(key, bars);
      return bars;
    },
  });
}
