/**
 * Builders for the portfolio pass's tests: a candidate trade spelled in minutes after 09:30 New York and
 * quoted prices, with its fills computed here from the slippage (not by src/), and the same candidate as the
 * brute-force account of test/helpers/oracle.ts takes it.
 */
import type { Candidate, CandidateRecord } from '../../src/portfolio/candidate.js';
import { decodeDayCandidates, encodeDayCandidates } from '../../src/portfolio/candidate-bytes.js';
import type { DayOutcome } from '../../src/runtime/task-types.js';
import { simulateDay } from '../../src/sim/simulate-day.js';
import { nyTime } from './bars.js';
import type { OracleCandidate } from './oracle.js';
import { DATE, noRules, ohlcDay, signalAt } from './trade-bars.js';

export const T0 = nyTime(DATE, '09:30');
export const at = (min: number) => T0 + min * 60_000;

export interface CandidateSpec {
  ticker: string;
  short?: boolean;
  /** Signal bar start, minutes after 09:30 (default: 5 before the entry). */
  signal?: number;
  entry: number;
  exit: number;
  entryQuote: number;
  exitQuote: number;
  /** Bars held in full: [minute of the bar's end, close]. */
  closes?: [number, number][];
  strength?: number | null;
  seq?: number;
  risk?: number | null;
  slippageBps?: number;
}

function hhmm(ts: number): string {
  const m = Math.round((ts - T0) / 60_000) + 9 * 60 + 30;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
}

export function candidate(s: CandidateSpec): Candidate {
  const sign = s.short ? -1 : 1;
  const slip = (s.slippageBps ?? 0) / 10_000;
  const signal = s.signal ?? s.entry - 5;
  return {
    ticker: s.ticker, date: DATE, direction: s.short ? 'SHORT' : 'LONG', signal_time: hhmm(at(signal)), signal_ts: at(signal), seq: s.seq ?? 0,
    pattern_strength: s.strength ?? null,
    entry_time: hhmm(at(s.entry)), entry_ts: at(s.entry), entry_price: s.entryQuote * (1 + sign * slip), entry_quote: s.entryQuote,
    exit_time: hhmm(at(s.exit)), exit_ts: at(s.exit), exit_price: s.exitQuote * (1 - sign * slip), exit_quote: s.exitQuote,
    exit_reason: 'eod', bars_held: (s.closes?.length ?? 0) + 1, risk: s.risk ?? null, mae_pct: 0, mfe_pct: 0,
    marks: Float64Array.from((s.closes ?? []).flatMap(([m, close]) => [at(m), close, 0, 0])),
  };
}

export function toOracle(c: Candidate): OracleCandidate {
  const closes: { ts: number; close: number }[] = [];
  for (let k = 0; k < c.marks.length; k += 4) closes.push({ ts: c.marks[k], close: c.marks[k + 1] });
  return {
    ticker: c.ticker, date: c.date, signal_ts: c.signal_ts, seq: c.seq, strength: c.pattern_strength, sign: c.direction === 'LONG' ? 1 : -1,
    entry_ts: c.entry_ts, exit_ts: c.exit_ts, entry: c.entry_quote, exit: c.exit_quote, risk: c.risk, closes,
  };
}

/** The smallest run row the results database accepts: the candidate tests read back what they record under it. */
export const RUN_ROW = { started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' };

// 09:30 … 09:50: entries at the next bar's open, exits at the day's last close (bar 4): bars 1–3 are held in full by a LONG
// signalled at bar 0 (entry 10.1) and bars 2–3 by a SHORT signalled at bar 1 (entry 10.4).
export const FIVE_BARS = ohlcDay([
  [10, 10.2, 9.9, 10.1],
  [10.1, 10.5, 10.0, 10.4],
  [10.4, 10.6, 9.8, 9.9],
  [9.9, 10.0, 9.7, 9.8],
  [9.8, 9.9, 9.6, 9.7],
]);

/** A ticker-day's outcome over `bars` with its candidates as the simulation makes them (default: the LONG and SHORT above). */
export function simulatedDay(bars = FIVE_BARS, signals = [signalAt(FIVE_BARS, 0, 'LONG'), signalAt(FIVE_BARS, 1, 'SHORT')], ticker?: string): DayOutcome {
  const sim = simulateDay(bars, signals, noRules(), 5 * 60_000);
  const candidates = ticker === undefined ? sim.candidates : sim.candidates.map((c) => ({ ...c, ticker }));
  return { date: DATE, bars: bars.length, steps: bars.length, skipped: false, signals: [], candidates: encodeDayCandidates(candidates), prices: sim.prices };
}

/** The candidate records a simulated day carries (encoded as a worker ships them). */
export function recordsOf(day: DayOutcome): CandidateRecord[] {
  return day.candidates ? decodeDayCandidates(day.candidates) : [];
}
