/**
 * The floors' market read: every ticker's 5-minute bars, one indexed statement per ticker (as barwise's
 * workers read), grouped into days as plain mutable objects. No engine code: a floor must share nothing
 * with what it is the floor of, or a slow shared part would hide in both.
 *
 * A day is the UTC date of the bar start. That equals the New York date for regular-session bars (09:30–16:00
 * New York is 13:30–21:00 UTC in summer, 14:30–22:00 in winter), which is all the bench's stores hold.
 */
import Database from 'better-sqlite3';

export interface FloorBar {
  ticker: string;
  timestamp: number;
  time_of_day: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface FloorDay {
  ticker: string;
  date: string;
  bars: FloorBar[];
}

/** Calls `onDay` for each ticker-day in ticker, then date order; the market database stays open meanwhile. */
export function forEachTickerDay(dbPath: string, onDay: (day: FloorDay) => void): void {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tickers = db.prepare("SELECT DISTINCT ticker FROM ohlcv_data WHERE timeframe = '5min' ORDER BY ticker").pluck().all() as string[];
    const read = db.prepare(
      "SELECT timestamp, open, high, low, close, volume, time_of_day FROM ohlcv_data WHERE ticker = ? AND timeframe = '5min' ORDER BY timestamp",
    ).raw();
    const dates = new Map<number, string>();
    for (const ticker of tickers) {
      let day: FloorDay | null = null;
      for (const r of read.iterate(ticker) as IterableIterator<[number, number, number, number, number, number, string]>) {
        const utcDay = Math.floor(r[0] / 86_400_000);
        let date = dates.get(utcDay);
        if (date === undefined) dates.set(utcDay, (date = new Date(utcDay * 86_400_000).toISOString().slice(0, 10)));
        if (day === null || day.date !== date) {
          if (day) onDay(day);
          day = { ticker, date, bars: [] };
        }
        day.bars.push({ ticker, timestamp: r[0], open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5], time_of_day: r[6] });
      }
      if (day) onDay(day);
    }
  } finally {
    db.close();
  }
}
