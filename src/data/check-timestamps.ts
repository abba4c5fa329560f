/**
 * Checks a market database's bar times per ticker before a run reads them: every ticker's first and last bar
 * must be epoch milliseconds of 1990–2100. One ticker imported in seconds, microseconds or nanoseconds, or
 * with text timestamps, would otherwise be silently dropped, replayed on dates thousands of years away, or
 * walked day by day without end. Numbers sort before text in SQLite, so a ticker's largest timestamp is text
 * when any of its timestamps is, and its smallest and largest bound every number between: two values per
 * ticker say it all.
 *
 * Cost: with an index leading with `ticker` (every barwise import has one), two index seeks per ticker;
 * without, one grouped scan of the table.
 */
import type Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import type { MarketStore } from './market-store.js';
import { describeImplausibleTimestamp, detectWrongUnit, PLAUSIBLE_FROM_MS, PLAUSIBLE_TO_MS } from './timestamp-unit.js';

interface TickerBounds {
  ticker: string;
  min: unknown;
  max: unknown;
}

const NAMED = 5;

/**
 * Throws DB_SCHEMA naming the tickers whose bar times are not epoch ms, and the statement that fixes them.
 * Returns the first and last bar time over the tickers checked (null: none has bars), which the check has
 * read anyway: a run without --from/--to takes its dates from them instead of reading every ticker's bounds again.
 */
export function checkTickerTimestamps(store: MarketStore, timeframe: string, tickers: readonly string[]): { min: number; max: number } | null {
  const bad: { ticker: string; reason: string; fix: string }[] = [];
  let min = Infinity;
  let max = -Infinity;
  for (const b of readTickerBounds(store.db, timeframe, tickers, store.tickerIndexed)) {
    const problem = describeTickerBounds(b);
    if (problem) bad.push({ ticker: b.ticker, ...problem });
    else if (typeof b.min === 'number' && typeof b.max === 'number') {
      min = Math.min(min, b.min);
      max = Math.max(max, b.max);
    }
  }
  if (bad.length === 0) return min === Infinity ? null : { min, max };
  const shown = bad.slice(0, NAMED).map((b) => `${b.ticker}: ${b.reason}`).join('; ');
  const more = bad.length > NAMED ? `; and ${bad.length - NAMED} more ticker(s)` : '';
  throw new BarwiseError('DB_SCHEMA',
    `${store.path}: ohlcv_data.timestamp must be epoch milliseconds (UTC bar start) of 1990–2100; ${bad.length} ticker(s) are not: ${shown}${more}`,
    `Fix them in place, e.g. ${bad[0].fix}, or delete their rows and import them again from CSV with \`barwise import\` (it checks every row; importing over them would only add bars beside the wrong ones). Nothing was run.`);
}

function readTickerBounds(db: Database.Database, timeframe: string, tickers: readonly string[], tickerIndexed: boolean): TickerBounds[] {
  if (tickerIndexed) {
    const min = db.prepare('SELECT MIN(timestamp) FROM ohlcv_data WHERE ticker = ? AND timeframe = ?').pluck();
    const max = db.prepare('SELECT MAX(timestamp) FROM ohlcv_data WHERE ticker = ? AND timeframe = ?').pluck();
    return tickers.map((ticker) => ({ ticker, min: min.get(ticker, timeframe), max: max.get(ticker, timeframe) }));
  }
  const wanted = new Set(tickers);
  const rows = db.prepare('SELECT ticker, MIN(timestamp) AS min, MAX(timestamp) AS max FROM ohlcv_data WHERE timeframe = ? GROUP BY ticker').all(timeframe) as TickerBounds[];
  return rows.filter((r) => wanted.has(r.ticker));
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function describeTickerBounds(b: TickerBounds): { reason: string; fix: string } | null {
  // No bars of this timeframe (MIN and MAX are NULL): nothing to check.
  if (b.min === null && b.max === null) return null;
  const where = `WHERE ticker = ${quote(b.ticker)}`;
  for (const v of [b.max, b.min]) {
    if (typeof v === 'number') continue;
    if (v === null || v === undefined) continue;
    const text = typeof v === 'string' ? v : null;
    const set = text !== null && /^\s*\d+\s*$/.test(text) ? 'CAST(timestamp AS INTEGER)' : "CAST(strftime('%s', timestamp) AS INTEGER) * 1000";
    return {
      reason: `timestamps stored as ${text !== null ? `text (${JSON.stringify(text.slice(0, 40))})` : 'blobs'}`,
      fix: `\`UPDATE ohlcv_data SET timestamp = ${set} ${where} AND typeof(timestamp) = 'text'\``,
    };
  }
  for (const v of [b.min, b.max] as number[]) {
    const reason = describeImplausibleTimestamp(v);
    if (!reason) continue;
    const wrong = detectWrongUnit(v);
    const set = wrong ? (wrong.toMs > 1 ? `timestamp * ${wrong.toMs}` : `timestamp / ${Math.round(1 / wrong.toMs)}`) : null;
    // Only the rows in that unit: a ticker may mix units, and its millisecond rows must stay as they are.
    const range = wrong ? `AND timestamp >= ${Math.round(PLAUSIBLE_FROM_MS / wrong.toMs)} AND timestamp < ${Math.round(PLAUSIBLE_TO_MS / wrong.toMs)}` : '';
    return {
      reason,
      fix: set ? `\`UPDATE ohlcv_data SET timestamp = ${set} ${where} ${range}\`` : `\`DELETE FROM ohlcv_data ${where} AND (timestamp < 631152000000 OR timestamp >= 4102444800000)\` for bars outside 1990–2100`,
    };
  }
  return null;
}
