/** --exit-time: the first bar starting at or after that time of day closes the trade at its open. */
import { exchangeSecondOfDay } from '../../data/exchange-time.js';
import { defineExitRule } from '../exit-rule.js';

export const exitTimeRule = defineExitRule<{ second: number }>({
  moments: ['open'],
  init: (t) => (t.rules.exitSecond === null ? null : { second: t.rules.exitSecond }),
  check: (s, moment, { bar }) => (moment === 'open' && exchangeSecondOfDay(bar.timestamp) >= s.second ? { price: bar.open, reason: 'exit-time' } : null),
});
