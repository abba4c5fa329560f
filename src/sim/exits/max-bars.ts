/** --max-bars: the trade closes at the close of its Nth bar. */
import { defineExitRule } from '../exit-rule.js';

export const maxBarsRule = defineExitRule<{ maxBars: number }>({
  moments: ['close'],
  init: (t) => (t.rules.maxBars === null ? null : { maxBars: t.rules.maxBars }),
  check: (s, moment, { bar, held }) => (moment === 'close' && held >= s.maxBars ? { price: bar.close, reason: 'max-bars' } : null),
});
