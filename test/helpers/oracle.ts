/**
 * The brute-force replay the engine is checked against. It shares no code with src/: for every ticker-day
 * and every step it rebuilds the visible world from the raw bars (a fresh in-memory database holding bars
 * 0..i, like the seed's naive flow) and asks the scanner logic again.
 */
import Database from 'better-sqlite3';
import type { TestBar } from './bars.js';

export interface OracleBar extends TestBar {
  time_of_day: string;
}

export interface ExpectedSignal {
  ticker: string;
  signal_date: string;
  signal_time: string;
  timestamp: number;
  direction: string | null;
  pattern_strength: number | null;
  metrics: Record<string, unknown>;
}

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export function nyParts(ts: number): { date: string; time: string } {
  const p = Object.fromEntries(fmt.formatToParts(ts).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

export type StepLogic = (step: { ticker: string; date: string; visible: OracleBar[]; db: Database.Database; dayStart: number }) => unknown;

export interface OracleOptions {
  warmup: number;
  signals?: 'first' | 'all';
  session?: 'regular' | 'extended';
  from?: string;
  to?: string;
  tickers?: string[];
}

export function bruteForceReplay(bars: readonly TestBar[], logic: StepLogic, o: OracleOptions): ExpectedSignal[] {
  const days = new Map<string, OracleBar[]>();
  for (const b of bars) {
    const { date, time } = nyParts(b.timestamp);
    if ((o.session ?? 'regular') === 'regular' && (time < '09:30:00' || time >= '16:00:00')) continue;
    if (o.from && date < o.from) continue;
    if (o.to && date > o.to) continue;
    if (o.tickers && !o.tickers.includes(b.ticker)) continue;
    const key = `${b.ticker}|${date}`;
    if (!days.has(key)) days.set(key, []);
    days.get(key)!.push({ ...b, time_of_day: time });
  }
  const out: ExpectedSignal[] = [];
  for (const [key, dayBars] of days) {
    const [ticker, date] = key.split('|');
    dayBars.sort((a, b) => a.timestamp - b.timestamp);
    const dayStart = Date.parse(`${date}T00:00:00${offsetOf(dayBars[0].timestamp)}`);
    for (let i = o.warmup; i < dayBars.length; i++) {
      const visible = dayBars.slice(0, i + 1);
      // Built only when the logic reads it: pure-arithmetic module scanners and step counts never touch ctx.db.
      let db: Database.Database | null = null;
      let result: unknown;
      try {
        result = logic({ ticker, date, visible, get db() { return (db ??= freshDb(visible)); }, dayStart });
      } finally {
        (db as Database.Database | null)?.close();
      }
      const list = result == null ? [] : Array.isArray(result) ? result : [result];
      for (const r of list as Record<string, unknown>[]) {
        const { direction, pattern_strength, metrics, ...rest } = r;
        out.push({
          ticker, signal_date: date, signal_time: visible[i].time_of_day, timestamp: visible[i].timestamp,
          direction: (direction as string | undefined) ?? null,
          pattern_strength: (pattern_strength as number | undefined) ?? null,
          metrics: { ...rest, ...(metrics as object | undefined) },
        });
      }
      if (list.length > 0 && (o.signals ?? 'first') === 'first') break;
    }
  }
  return out.sort((a, b) => (a.signal_date < b.signal_date ? -1 : a.signal_date > b.signal_date ? 1 : a.timestamp - b.timestamp || (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0)));
}

/** Runs an SQL scanner's text at each step, as the seed did: against a database holding only the visible bars. */
export function sqlLogic(sql: string): StepLogic {
  return ({ ticker, date, visible, db, dayStart }) => {
    const bar = visible[visible.length - 1];
    return db.prepare(sql).all({ ticker, date, as_of: bar.timestamp, time: bar.time_of_day, day_start: dayStart });
  };
}

function freshDb(visible: OracleBar[]): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, time_of_day TEXT)');
  const ins = db.prepare('INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // In one transaction, not a commit per row.
  db.transaction(() => {
    for (const b of visible) ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, '5min', b.time_of_day);
  })();
  return db;
}

function offsetOf(ts: number): string {
  const { date, time } = nyParts(ts);
  const wall = Date.parse(`${date}T${time}Z`);
  const mins = Math.round((wall - ts) / 60000);
  const sign = mins < 0 ? '-' : '+';
  const a = Math.abs(mins);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
