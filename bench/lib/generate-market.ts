/**
 * Seeded synthetic markets in the ohlcv_data schema, cached in bench/cache/ (a second run reuses the file).
 * Prices are a random walk with occasional volume spikes, so the shipped scanners fire at realistic rates.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { exchangeDayStartMs, exchangeTimeOfDay, nextDate } from '../../src/data/exchange-time.js';
import { OHLCV_TABLE_SQL } from '../../src/data/schema.js';

export interface MarketSpec {
  name: string;
  tickers: number;
  days: number;
  /** Bars per day, from 09:30 New York time. */
  barsPerDay?: number;
  seed?: number;
}

export const WORKLOADS = {
  small: { name: 'small', tickers: 5, days: 10 },
  medium: { name: 'medium', tickers: 65, days: 10 },
  universe: { name: 'universe', tickers: 2046, days: 10 },
} as const satisfies Record<string, MarketSpec>;

export const CACHE_DIR = new URL('../cache/', import.meta.url).pathname;

/** Weekdays from 2025-06-02 on (holidays are not skipped: it is synthetic). */
export function tradingDates(n: number): string[] {
  const out: string[] = [];
  for (let d = '2025-06-02'; out.length < n; d = nextDate(d)) {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}

export function tickerName(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `T${s}`;
}

/** Path of the cached market database, generating it when missing. */
export function ensureMarket(spec: MarketSpec): string {
  const bars = spec.barsPerDay ?? 78;
  const file = path.join(CACHE_DIR, `${spec.name}-${spec.tickers}x${spec.days}x${bars}-s${spec.seed ?? 1}.db`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(OHLCV_TABLE_SQL);
  const ins = db.prepare('INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let state = (spec.seed ?? 1) >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const dates = tradingDates(spec.days);
  const open930 = dates.map((d) => exchangeDayStartMs(d) + 9.5 * 3_600_000);
  db.transaction(() => {
    for (let t = 0; t < spec.tickers; t++) {
      const ticker = tickerName(t);
      let price = 20 + rand() * 300;
      for (let d = 0; d < dates.length; d++) {
        for (let i = 0; i < bars; i++) {
          const ts = open930[d] + i * 300_000;
          const open = price;
          const close = open * (1 + (rand() - 0.495) * 0.01);
          const high = Math.max(open, close) * (1 + rand() * 0.002);
          const low = Math.min(open, close) * (1 - rand() * 0.002);
          const volume = Math.round((5_000 + rand() * 20_000) * (rand() < 0.03 ? 5 : 1));
          ins.run(ticker, ts, r2(open), r2(high), r2(low), r2(close), volume, '5min', exchangeTimeOfDay(ts));
          price = close;
        }
      }
    }
  })();
  db.close();
  fs.renameSync(tmp, file);
  return file;
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
