/**
 * What a run's statistics need besides its trades, folded from its recorded ticker-days: untraded signals
 * summed by reason (keys in order), and each date's session span over all tickers (first bar start, last bar
 * end), in date order. One fold for both sources: the days read back from the results database
 * (ResultsDb.readTradeContext) and the days a run kept as it recorded them (KeptCandidates.tradeContext).
 */
import { compareText } from '../merge/signal-order.js';

export interface TradeContext {
  untraded: Record<string, number>;
  sessions: Map<string, [number, number]>;
}

/** A recorded ticker-day, as far as the trade context reads it. */
export interface TradeContextDay {
  date: string;
  span: readonly [number, number] | null | undefined;
  untraded: Readonly<Record<string, number>> | null | undefined;
}

export function foldTradeContext(days: Iterable<TradeContextDay>): TradeContext {
  const untraded: Record<string, number> = {};
  const spans = new Map<string, [number, number]>();
  for (const d of days) {
    if (d.untraded) for (const [k, v] of Object.entries(d.untraded)) untraded[k] = (untraded[k] ?? 0) + v;
    if (!d.span) continue;
    const span = spans.get(d.date);
    if (!span) spans.set(d.date, [d.span[0], d.span[1]]);
    else {
      if (d.span[0] < span[0]) span[0] = d.span[0];
      if (d.span[1] > span[1]) span[1] = d.span[1];
    }
  }
  return {
    untraded: Object.fromEntries(Object.entries(untraded).sort(([a], [b]) => compareText(a, b))),
    sessions: new Map([...spans].sort(([a], [b]) => compareText(a, b))),
  };
}
