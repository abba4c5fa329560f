/**
 * Builders for the portfolio pass's tests: a candidate trade spelled in minutes after 09:30 New York and
 * quoted prices, with its fills computed here from the slippage (not by src/), and the same candidate as the
 * brute-force account of test/helpers/oracle.ts takes it.
 */
import type { Candidate } from '../../src/portfolio/candidate.js';
import { nyTime } from './bars.js';
import type { OracleCandidate } from './oracle.js';
import { DATE } from './trade-bars.js';

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
