/**
 * The registry of exit rules, in the order they are asked at each moment of a bar (exit-rule.ts): the exit
 * time first (nothing trades after it), then the stop before the target (within a bar we cannot know whether
 * the high or the low came first, so the stop fills: the conservative assumption), then the bar limit, and
 * the end of the day last. A new rule is one file in exits/ plus one line here.
 */
import type { ExitRule } from './exit-rule.js';
import { endOfDayRule } from './exits/end-of-day.js';
import { exitTimeRule } from './exits/exit-time.js';
import { maxBarsRule } from './exits/max-bars.js';
import { stopRule } from './exits/stop.js';
import { targetRule } from './exits/target.js';

export const EXIT_RULES = {
  'exit-time': exitTimeRule,
  stop: stopRule,
  target: targetRule,
  'max-bars': maxBarsRule,
  'end-of-day': endOfDayRule,
} satisfies Record<string, ExitRule>;

export type ExitRuleKey = keyof typeof EXIT_RULES;
