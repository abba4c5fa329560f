/**
 * Builders for test bars and market databases. Deliberately independent of src/: times are computed
 * with Intl directly, databases are created with plain SQL in the schema users' databases have.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface TestBar {
  ticker: string;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Epoch ms of a New York wall-clock time, found by trying both possible offsets. */
export function nyTime(date: string, hhmm: string): number {
  for (const offset of ['-04:00', '-05:00']) {
    const ts = Date.parse(`${date}T${hhmm}:00${offset}`);
    const back = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
    if (back === hhmm) return ts;
  }
  throw new Error(`no such New York time ${date} ${hhmm}`);
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DayOptions {
  /** First bar, New York wall clock. Default 09:30. */
  start?: string;
  /** Number of 5-minute slots. Default 78. */
  slots?: number;
  /** Slot indexes with no bar. */
  missing?: number[];
  seed?: number;
  price?: number;
}

/** A random-walk day of 5-minute bars, with occasional volume spikes so scanners fire. */
export function makeDay(ticker: string, date: string, o: DayOptions = {}): TestBar[] {
  const rand = mulberry32(o.seed ?? hash(`${ticker}${date}`));
  const start = nyTime(date, o.start ?? '09:30');
  const slots = o.slots ?? 78;
  const missing = new Set(o.missing ?? []);
  let price = o.price ?? 50 + rand() * 100;
  const bars: TestBar[] = [];
  for (let i = 0; i < slots; i++) {
    const open = price;
    const close = round2(open * (1 + (rand() - 0.49) * 0.012));
    const high = round2(Math.max(open, close) * (1 + rand() * 0.003));
    const low = round2(Math.min(open, close) * (1 - rand() * 0.003));
    const spike = rand() < 0.06 ? 4 + rand() * 4 : 1;
    const volume = Math.round((1000 + rand() * 9000) * spike);
    price = close;
    if (!missing.has(i)) bars.push({ ticker, timestamp: start + i * 300_000, open: round2(open), high, low, close, volume });
  }
  return bars;
}

export interface StoreOptions {
  timeframe?: string;
  /** What to store in time_of_day (users' databases hold all kinds of conventions). Default null. */
  timeOfDay?: (b: TestBar) => string | null;
}

/** Writes bars into a new SQLite file with the users' ohlcv_data schema. */
export function writeStore(file: string, bars: readonly TestBar[], o: StoreOptions = {}): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec(`CREATE TABLE ohlcv_data (ticker TEXT, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL,
    volume INTEGER, timeframe TEXT, time_of_day TEXT, UNIQUE (ticker, timestamp, timeframe))`);
  const ins = db.prepare('INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const b of bars) {
      ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, o.timeframe ?? '5min', o.timeOfDay ? o.timeOfDay(b) : null);
    }
  })();
  db.close();
  return file;
}

/** Reads the bundled CSV.gz sample the same way a user would look at it: plain text. */
export function readCsvBars(text: string, tickerFromName?: string): TestBar[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const cols = header.split(',');
  return lines.map((line) => {
    const f = line.split(',');
    const get = (c: string) => f[cols.indexOf(c)];
    return {
      ticker: tickerFromName ?? get('ticker'),
      timestamp: Date.parse(get('timestamp')),
      open: Number(get('open')),
      high: Number(get('high')),
      low: Number(get('low')),
      close: Number(get('close')),
      volume: Number(get('volume')),
    };
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}
