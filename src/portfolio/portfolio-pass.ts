/**
 * The portfolio pass: one account over all tickers in time order. Workers simulate each signal's candidate
 * trade per share on the bars they hold; this pass, on the main thread over all of the run's candidates
 * (so a resumed run passes over the same ones as an uninterrupted run), decides which become trades and
 * their size, and values the account at every bar close while anything is open. Pure: the same candidates
 * and rules give the same trades and equity whatever order they arrive in (they are sorted here first).
 *
 * At each instant, in this order (docs/trades.md, "Portfolio"):
 *  1. exits at the instant fill (so a position that exits frees its buying power for entries at the instant);
 *  2. open positions are marked at the closes of their bars ending then;
 *  3. equity ≤ 0 ruins the account: every open position is closed at its mark (exit reason `ruin`), and no
 *     trade is taken after;
 *  4. entries at the instant, strongest `pattern_strength` first (none last), then ticker, signal bar, seq.
 *     Each is sized from the equity at that moment (cash + open positions at their marks) and refused when
 *     the account is ruined, already holds the ticker, holds --max-positions, the size is below one share,
 *     or gross exposure after it (every open position at its mark, plus the entry's notional and commission)
 *     would pass --max-exposure × equity;
 *  5. the equity after all of it is the instant's point of the equity series.
 * Equity here is capital + closed trades' P&L + open positions' P&L at their marks net of entry commission,
 * which is cash + positions marked to market: final equity is capital + the trades' summed P&L.
 */
import { exchangeDate, exchangeTimeOfDay } from '../data/exchange-time.js';
import type { TradeRules } from '../config/trade-rules.js';
import { mergeTrades } from '../merge/merge-trades.js';
import type { EquityPoint } from '../stats/equity-curve.js';
import type { Trade } from '../types.js';
import { MARK_WIDTH, type Candidate } from './candidate.js';
import { CandidateColumns } from './candidate-columns.js';
import { computeFillCommission, priceTrade } from './price-trade.js';
import { computeShares } from './size-rule.js';

/** Why the account did not take a candidate. */
export type PassReason = 'ruined' | 'already_in_position' | 'max_positions' | 'no-size' | 'buying_power';

export interface PortfolioOutcome {
  /** In the total order of their signals. */
  trades: Trade[];
  untraded: Partial<Record<PassReason, number>>;
  /** Mark-to-market equity: the capital at the first instant, then one point per instant of the pass. */
  equity: EquityPoint[];
  /** When equity reached zero (epoch ms), or null. */
  ruinedAt: number | null;
}

interface Position {
  c: Candidate;
  /**
   * The candidate's marks, exit instant and entry fill, read once when the position opens: the pass reads them at every
   * instant for every open position (~1,000 at once on the bench universe), and a candidate's marks are a
   * getter building them on first read (kept-candidates.ts).
   */
  marks: ArrayLike<number>;
  exitTs: number;
  entry: number;
  /** The position's next instant: its exit or its next mark's bar end, whichever is first. */
  next: number;
  shares: number;
  sign: 1 | -1;
  entryCommission: number;
  /** The last mark: the position's latest bar close (its entry quote until a bar of it has closed). */
  mark: number;
  /** Marks consumed: the bars held in full so far; index of the next mark is `held`. */
  held: number;
  mae: number;
  mfe: number;
}

/**
 * The candidates' indexes in entry order: by instant, and at one instant strongest signal first (none last),
 * then ticker, signal bar and sequence.
 */
export function orderEntries(cols: CandidateColumns): number[] {
  const { entryTs, strength, ticker, signalTs, seq } = cols;
  const order = Array.from({ length: cols.length }, (_, i) => i);
  return order.sort((a, b) => {
    if (entryTs[a] !== entryTs[b]) return entryTs[a] - entryTs[b];
    if (strength[a] !== strength[b]) return strength[b] - strength[a];
    if (ticker[a] !== ticker[b]) return ticker[a] < ticker[b] ? -1 : 1;
    return signalTs[a] - signalTs[b] || seq[a] - seq[b];
  });
}

/**
 * `candidates`: as records, or as columns (candidate-columns.ts), whose candidates are decoded only when opened.
 * The same candidates give the same outcome either way.
 */
export function runPortfolioPass(candidates: readonly Candidate[] | CandidateColumns, rules: TradeRules): PortfolioOutcome {
  const cols = candidates instanceof CandidateColumns ? candidates : CandidateColumns.of(candidates);
  const queue = orderEntries(cols);
  const { entryTs, ticker, entryPrice, risk } = cols;
  const trades: Trade[] = [];
  const untraded: Partial<Record<PassReason, number>> = {};
  const equity: EquityPoint[] = [];
  const open: Position[] = [];
  let realized = rules.capital;
  let ruinedAt: number | null = null;
  const refuse = (r: PassReason) => (untraded[r] = (untraded[r] ?? 0) + 1);
  const openTickers = new Set<string>();
  // The open positions' P&L at their marks and their gross exposure, summed in `open`'s order. Within an
  // instant's entries `open` only grows at its end, so adding the new position's terms to the sums gives the
  // very floats a fresh loop would: an instant costs one loop over the open positions, not one per entry (the
  // universe with one share and a wide exposure holds ~1,000 positions while ~19,000 candidates enter).
  const held: { sums: { e: number; gross: number } | null } = { sums: null };
  const sumOpen = () => {
    if (held.sums) return held.sums;
    let e = 0;
    let gross = 0;
    for (const p of open) {
      e += p.sign * p.shares * (p.mark - p.entry) - p.entryCommission;
      gross += p.shares * p.mark;
    }
    return (held.sums = { e, gross });
  };
  const valueOpen = () => {
    const { e, gross } = sumOpen();
    return { equity: realized + e, gross };
  };
  const enter = (p: Position) => {
    open.push(p);
    openTickers.add(p.c.ticker);
    if (held.sums) {
      held.sums.e += p.sign * p.shares * (p.mark - p.entry) - p.entryCommission;
      held.sums.gross += p.shares * p.mark;
    }
  };
  const nextOf = (p: Position) => Math.min(p.exitTs, p.held * MARK_WIDTH < p.marks.length ? p.marks[p.held * MARK_WIDTH] : Infinity);
  const close = (p: Position, trade: Trade) => {
    trades.push(trade);
    realized += trade.pnl;
    open.splice(open.indexOf(p), 1);
    openTickers.delete(p.c.ticker);
    held.sums = null;
  };

  let next = 0;
  if (queue.length > 0) equity.push({ ts: entryTs[queue[0]], equity: rules.capital });
  while (next < queue.length || open.length > 0) {
    let t = next < queue.length ? entryTs[queue[next]] : Infinity;
    for (let i = 0; i < open.length; i++) if (open[i].next < t) t = open[i].next;

    let exits: Position[] | null = null;
    for (let i = 0; i < open.length; i++) if (open[i].exitTs === t) (exits ??= []).push(open[i]);
    if (exits) for (const p of exits) close(p, priceTrade(p.c, p.shares, rules));
    held.sums = null; // the marks move next
    for (let i = 0; i < open.length; i++) {
      const p = open[i];
      if (p.next > t) continue;
      const m = p.marks;
      while (p.held * MARK_WIDTH < m.length && m[p.held * MARK_WIDTH] <= t) {
        const k = p.held * MARK_WIDTH;
        p.mark = m[k + 1];
        p.mae = m[k + 2];
        p.mfe = m[k + 3];
        p.held++;
      }
      p.next = nextOf(p);
    }
    if (ruinedAt === null && valueOpen().equity <= 0) {
      ruinedAt = t;
      for (const p of [...open]) {
        close(p, priceTrade(p.c, p.shares, rules, {
          ts: t, time: exchangeTimeOfDay(t), quote: p.mark, reason: 'ruin', bars_held: p.held, mae_pct: p.mae, mfe_pct: p.mfe,
        }));
      }
    }

    for (; next < queue.length && entryTs[queue[next]] === t; next++) {
      const i = queue[next];
      if (ruinedAt !== null) {
        refuse('ruined');
        continue;
      }
      if (openTickers.has(ticker[i])) {
        refuse('already_in_position');
        continue;
      }
      if (rules.maxPositions !== null && open.length >= rules.maxPositions) {
        refuse('max_positions');
        continue;
      }
      const now = valueOpen();
      const shares = computeShares(rules.size, entryPrice[i], Number.isNaN(risk[i]) ? null : risk[i], now.equity);
      if (shares < 1) {
        refuse('no-size');
        continue;
      }
      const entryCommission = computeFillCommission(shares, rules);
      const limit = rules.maxExposure * now.equity;
      if (now.gross + shares * entryPrice[i] + entryCommission > limit * (1 + 1e-12) || entryCommission >= now.equity) {
        refuse('buying_power');
        continue;
      }
      const c = cols.candidate(i);
      const p: Position = {
        c, marks: c.marks, exitTs: c.exit_ts, entry: c.entry_price, next: 0, shares, sign: c.direction === 'LONG' ? 1 : -1, entryCommission, mark: c.entry_quote, held: 0, mae: 0, mfe: 0,
      };
      p.next = nextOf(p);
      enter(p);
    }
    equity.push({ ts: t, equity: round(valueOpen().equity) });
  }
  return { trades: mergeTrades(trades), untraded, equity, ruinedAt };
}

/** `2025-11-03 10:15:00`, New York: how results show the instant of ruin. */
export function formatInstant(ts: number | null): string | null {
  return ts === null ? null : `${exchangeDate(ts)} ${exchangeTimeOfDay(ts)}`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
