/**
 * The one-thread SQLite day-DB floor for an SQL scanner: one in-memory day database, and per step one INSERT
 * (the new bar) and the scanner's SELECT, exactly the SQL work barwise does per step, without pool, tasks,
 * results or anything else. Same steps as barwise: from bar `warmup` on, a day shorter than that is skipped,
 * and in `first` mode the first signal ends the day.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DAY_OHLCV_TABLE_SQL } from '../../src/day-db/day-fill.js';
import { forEachTickerDay } from './read-ticker-days.js';
import type { FloorResult, FloorSignal } from './floor-result.js';

export interface SqlFloorOptions {
  db: string;
  scanner: string;
  warmup: number;
  /** Declared parameters and their bindings (integers as BigInt, as SQLite must see `x / 6`). */
  params: Record<string, number | bigint | string>;
}

export function runSqliteFloor(o: SqlFloorOptions): FloorResult {
  const t0 = performance.now();
  const day = new Database(':memory:');
  day.pragma('journal_mode = OFF');
  day.pragma('synchronous = OFF');
  // The table as barwise's day database has it (its covering index included), so that the floor's SQL work per
  // step is barwise's own and the ratio measures the engine around it, not a schema.
  day.exec(DAY_OHLCV_TABLE_SQL);
  const insert = day.prepare('INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const clear = day.prepare('DELETE FROM ohlcv_data');
  const select = day.prepare(fs.readFileSync(o.scanner, 'utf8'));
  const args: Record<string, unknown> = { ticker: '', date: '', as_of: 0, time: '', day_start: 0, ...o.params };
  const signals: FloorSignal[] = [];
  let tickerDays = 0;
  let steps = 0;
  forEachTickerDay(o.db, ({ ticker, date, bars }) => {
    tickerDays++;
    if (bars.length < o.warmup) return;
    day.exec('BEGIN');
    clear.run();
    const add = (i: number) => {
      const b = bars[i];
      insert.run(ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, '5min', b.time_of_day);
    };
    for (let i = 0; i < o.warmup; i++) add(i);
    // The day holds only this ticker-day's bars, so its first bar is as good a day start as midnight.
    args.ticker = ticker;
    args.date = date;
    args.day_start = bars[0].timestamp;
    for (let i = o.warmup; i < bars.length; i++) {
      add(i);
      steps++;
      args.as_of = bars[i].timestamp;
      args.time = bars[i].time_of_day;
      const rows = select.all(args) as { direction: string; pattern_strength: number | null }[];
      if (rows.length === 0) continue;
      for (const r of rows) signals.push({ ticker, timestamp: bars[i].timestamp, direction: r.direction, pattern_strength: r.pattern_strength });
      break;
    }
    day.exec('COMMIT');
  });
  day.close();
  return { floor: 'sqlite', ticker_days: tickerDays, steps, signals, loop_ms: Math.round(performance.now() - t0), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
