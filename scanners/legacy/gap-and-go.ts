#!/usr/bin/env -S npx ts-node
/**
 * A legacy scanner script, written the way existing users' scripts are: it reads the SQLite file named by
 * DATABASE_PATH, loops over SCAN_TICKERS and the dates from SCAN_START_DATE to SCAN_END_DATE, and prints a
 * JSON array of signals on stdout (logs go to stderr). barwise runs it unmodified, with tsx.
 *
 * Finds: a bar that closes above the day's first-30-minute high after the open gapped up, on rising
 * volume (a "gap and go" continuation). Every bar's check uses only bars that exist in the database.
 */
import Database from 'better-sqlite3';

interface Row { ticker: string; timestamp: number; time_of_day: string; open: number; high: number; close: number; volume: number }

const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
const tickers = (process.env.SCAN_TICKERS ?? '').split(',').filter(Boolean);
const signals: object[] = [];
console.error(`gap-and-go: scanning ${tickers.join(',')} ${process.env.SCAN_START_DATE}..${process.env.SCAN_END_DATE}`);
for (const ticker of tickers) {
  const bars = db.prepare('SELECT * FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp').all(ticker) as Row[];
  if (bars.length < 8) continue;
  const first30 = bars.filter((b) => b.time_of_day < '10:00:00');
  if (first30.length === 0) continue;
  const rangeHigh = Math.max(...first30.map((b) => b.high));
  const last = bars[bars.length - 1];
  const prev = bars[bars.length - 2];
  const gapUp = bars[0].open > bars[0].close * 0.999 && bars[0].open >= first30[0].open;
  if (last.time_of_day >= '10:00:00' && gapUp && last.close > rangeHigh && last.volume > prev.volume) {
    signals.push({ ticker, signal_time: last.time_of_day, direction: 'LONG', pattern_strength: Math.round((last.close / rangeHigh - 1) * 1e5) / 1e3, metrics: { range_high: rangeHigh } });
  }
}
console.log(JSON.stringify(signals));
