/**
 * The stop in force for a bar: the tighter of the fixed stop (--stop-pct / --atr-stop) and the trailing stop
 * (--trail-pct). The trailing stop for a bar is set from the best price of the bars before it (and the
 * entry): a bar's own high cannot raise the stop that the same bar's low is tested against. A bar that opens
 * beyond the stop fills at its open; one that touches it fills at the stop.
 */
import type { ExitReason } from '../../types.js';
import { defineExitRule } from '../exit-rule.js';

interface StopState {
  sign: 1 | -1;
  fixedStop: number | null;
  trailFrac: number | null;
  /** The best price so far (the entry, then each bar's favourable extreme). */
  best: number;
  /** The stop in force for the current bar, set at its open. */
  stop: number | null;
  reason: ExitReason;
}

export const stopRule = defineExitRule<StopState>({
  moments: ['open', 'within'],
  init: (t) => {
    const trailFrac = t.rules.trailPct === null ? null : t.rules.trailPct / 100;
    if (t.fixedDist === null && trailFrac === null) return null;
    return { sign: t.sign, fixedStop: t.fixedDist === null ? null : t.entry - t.sign * t.fixedDist, trailFrac, best: t.entry, stop: null, reason: 'stop' };
  },
  check: (s, moment, { bar }) => {
    if (moment === 'open') {
      s.stop = s.fixedStop;
      s.reason = 'stop';
      if (s.trailFrac !== null) {
        const trail = s.best * (1 - s.sign * s.trailFrac);
        if (s.stop === null || s.sign * (trail - s.stop) > 0) {
          s.stop = trail;
          s.reason = 'trail';
        }
      }
      return s.stop !== null && s.sign * (bar.open - s.stop) <= 0 ? { price: bar.open, reason: s.reason } : null;
    }
    if (moment === 'within' && s.stop !== null) {
      const adverse = s.sign > 0 ? bar.low : bar.high;
      return s.sign * (adverse - s.stop) <= 0 ? { price: s.stop, reason: s.reason, seen: [s.stop] } : null;
    }
    return null;
  },
  advance: (s, { bar }) => {
    const favourable = s.sign > 0 ? bar.high : bar.low;
    if (s.sign * (favourable - s.best) > 0) s.best = favourable;
  },
});
