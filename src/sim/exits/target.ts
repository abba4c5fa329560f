/** --target-pct: a bar that opens beyond the target fills at its open; one that touches it fills at the target. */
import { defineExitRule } from '../exit-rule.js';

export const targetRule = defineExitRule<{ sign: 1 | -1; target: number }>({
  moments: ['open', 'within'],
  init: (t) => (t.rules.targetPct === null ? null : { sign: t.sign, target: t.entry * (1 + (t.sign * t.rules.targetPct) / 100) }),
  check: (s, moment, { bar }) => {
    if (moment === 'open') return s.sign * (bar.open - s.target) >= 0 ? { price: bar.open, reason: 'target' } : null;
    if (moment !== 'within') return null;
    const adverse = s.sign > 0 ? bar.low : bar.high;
    const favourable = s.sign > 0 ? bar.high : bar.low;
    return s.sign * (favourable - s.target) >= 0 ? { price: s.target, reason: 'target', seen: [adverse, s.target] } : null;
  },
});
