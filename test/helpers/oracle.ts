/**
 * The brute-force replay the engine is checked against. It shares no code with src/: for every ticker-day
 * and every step it rebuilds the visible world from the raw bars (a fresh in-memory database holding bars
 * 0..i, like the seed's naive flow) and asks the scanner logic again.
 */
import { pathToFileURL } from 'node:url';
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

/**
 * Runs an SQL scanner's text at each step, as the seed did: against a database holding only the visible bars.
 * `params`: the values the test binds for the scanner's declared parameters (a bigint binds as an integer).
 */
export function sqlLogic(sql: string, params: Record<string, number | bigint | string> = {}): StepLogic {
  return ({ ticker, date, visible, db, dayStart }) => {
    const bar = visible[visible.length - 1];
    return db.prepare(sql).all({ ...params, ticker, date, as_of: bar.timestamp, time: bar.time_of_day, day_start: dayStart });
  };
}

/**
 * Runs a module scanner's own scan at each step on a plain ctx of the visible bars (`params`: the values the
 * test sets). A scanner with per-ticker-day state (init) gets it fresh at every step, from that step's ctx: the
 * replay stays stateless, so the state the engine carries from step to step must give what a fresh one gives.
 * ctx.db stays a getter: the oracle builds a step's database only if the scanner reads it.
 */
export async function moduleLogic(file: string, params: Record<string, unknown> = {}): Promise<StepLogic> {
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)).default;
  const m = mod.default ?? mod;
  return (step) => {
    const ctx = {
      ticker: step.ticker, date: step.date, bar: step.visible[step.visible.length - 1], bars: step.visible, index: step.visible.length - 1,
      get db() { return step.db; }, params,
    };
    return m.scan(ctx, m.init ? m.init(ctx) : undefined);
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

/** One signal's trade as the test computed it from the raw bars, per share, before the account decides on it. */
export interface OracleCandidate {
  ticker: string;
  date: string;
  signal_ts: number;
  seq: number;
  strength: number | null;
  sign: 1 | -1;
  entry_ts: number;
  exit_ts: number;
  /** Quoted prices, before slippage. */
  entry: number;
  exit: number;
  /** Initial risk per share from the entry fill, or null. */
  risk: number | null;
  /** Closes of the bars held in full before the exit bar, each at its bar's end. */
  closes: { ts: number; close: number }[];
}

export interface OracleAccount {
  capital: number;
  maxPositions: number | null;
  maxExposure: number;
  size: { mode: string; value: number };
  slippageBps: number;
  commissionPerShare: number;
  commissionMin: number;
}

export interface OracleTrade {
  ticker: string;
  date: string;
  signal_ts: number;
  seq: number;
  shares: number;
  exit_ts: number;
  exit_reason: 'own' | 'ruin';
  entry_fill: number;
  exit_fill: number;
  commission: number;
  slippage: number;
  pnl: number;
}

/**
 * The account, brute force: every instant any candidate could enter, exit or close a bar, in time order, the
 * whole book re-valued from scratch (each open position's latest close looked up again). Shares no code with
 * src/portfolio. The rules it models are docs/trades.md's "Portfolio" section.
 */
export function bruteForcePortfolio(cands: readonly OracleCandidate[], a: OracleAccount): {
  trades: OracleTrade[]; untraded: Record<string, number>; equityAt: Map<number, number>; ruinedAt: number | null; maxOpen: number;
  entries: { ts: number; gross: number; equity: number }[];
} {
  const slip = a.slippageBps / 10_000;
  const fee = (n: number) => (a.commissionPerShare > 0 || a.commissionMin > 0 ? Math.max(a.commissionMin, n * a.commissionPerShare) : 0);
  const instants = [...new Set(cands.flatMap((c) => [c.entry_ts, c.exit_ts, ...c.closes.map((x) => x.ts)]))].sort((x, y) => x - y);
  type Open = { c: OracleCandidate; shares: number; fill: number };
  let open: Open[] = [];
  let cash = a.capital;
  let ruinedAt: number | null = null;
  let maxOpen = 0;
  const trades: OracleTrade[] = [];
  const untraded: Record<string, number> = {};
  const equityAt = new Map<number, number>();
  const entries: { ts: number; gross: number; equity: number }[] = [];
  const markOf = (o: Open, t: number) => {
    let m = o.c.entry;
    for (const x of o.c.closes) if (x.ts <= t) m = x.close;
    return m;
  };
  const book = (t: number) => {
    let eq = cash;
    let gross = 0;
    for (const o of open) {
      const m = markOf(o, t);
      eq += o.c.sign * o.shares * m;
      gross += o.shares * m;
    }
    return { eq, gross };
  };
  const closeAt = (o: Open, quote: number, t: number, reason: 'own' | 'ruin') => {
    const exitFill = quote * (1 - o.c.sign * slip);
    const commission = 2 * fee(o.shares);
    cash += o.c.sign * o.shares * exitFill - fee(o.shares);
    trades.push({
      ticker: o.c.ticker, date: o.c.date, signal_ts: o.c.signal_ts, seq: o.c.seq, shares: o.shares, exit_ts: t, exit_reason: reason,
      entry_fill: o.fill, exit_fill: exitFill, commission, slippage: o.shares * (Math.abs(o.fill - o.c.entry) + Math.abs(quote - exitFill)),
      pnl: o.c.sign * (exitFill - o.fill) * o.shares - commission,
    });
  };
  const refuse = (r: string) => (untraded[r] = (untraded[r] ?? 0) + 1);
  for (const t of instants) {
    for (const o of open.filter((x) => x.c.exit_ts === t)) closeAt(o, o.c.exit, t, 'own');
    open = open.filter((x) => x.c.exit_ts !== t);
    if (ruinedAt === null && book(t).eq <= 0) {
      ruinedAt = t;
      for (const o of open) closeAt(o, markOf(o, t), t, 'ruin');
      open = [];
    }
    const arriving = cands.filter((c) => c.entry_ts === t).sort((x, y) =>
      (y.strength ?? -Infinity) - (x.strength ?? -Infinity) || (x.ticker < y.ticker ? -1 : x.ticker > y.ticker ? 1 : 0) || x.signal_ts - y.signal_ts || x.seq - y.seq);
    for (const c of arriving) {
      if (ruinedAt !== null) { refuse('ruined'); continue; }
      if (open.some((o) => o.c.ticker === c.ticker)) { refuse('already_in_position'); continue; }
      if (a.maxPositions !== null && open.length >= a.maxPositions) { refuse('max_positions'); continue; }
      const { eq, gross } = book(t);
      const fill = c.entry * (1 + c.sign * slip);
      const per = a.size.mode === 'shares' ? null : a.size.mode === 'dollars' ? a.size.value / fill
        : a.size.mode === 'equity-pct' ? (eq * a.size.value) / 100 / fill
        : c.risk !== null && c.risk > 0 ? (a.size.mode === 'risk' ? a.size.value : (eq * a.size.value) / 100) / c.risk : 0;
      const shares = per === null ? a.size.value : Math.floor(per + 1e-9);
      if (!(shares >= 1)) { refuse('no-size'); continue; }
      if (gross + shares * fill + fee(shares) > a.maxExposure * eq * (1 + 1e-12) || fee(shares) >= eq) { refuse('buying_power'); continue; }
      cash -= c.sign * shares * fill + fee(shares);
      open.push({ c, shares, fill });
      entries.push({ ts: t, gross: gross + shares * fill, equity: eq });
    }
    maxOpen = Math.max(maxOpen, open.length);
    equityAt.set(t, book(t).eq);
  }
  return { trades, untraded, equityAt, ruinedAt, maxOpen, entries };
}
