/** Always on: no position is held overnight; the day's last bar closes the trade at its close. */
import { defineExitRule } from '../exit-rule.js';

export const endOfDayRule = defineExitRule<true>({
  moments: ['close'],
  init: () => true,
  check: (_s, moment, { bar, last }) => (moment === 'close' && last ? { price: bar.close, reason: 'eod' } : null),
});
