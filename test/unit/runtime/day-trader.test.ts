/**
 * One ticker-day traded under several rules (a sweep's combinations sharing a scan): each outcome is what
 * the day traded under that rule alone gives, whatever rules came before on the same trader; two rules
 * whose candidates hold the same bars share one price path.
 */
import { expect } from 'chai';
import { createDayTrader } from '../../../src/runtime/trade-day.js';
import { simulateDay } from '../../../src/sim/simulate-day.js';
import { decodeDayCandidates, encodeCandidateLists } from '../../../src/portfolio/candidate-bytes.js';
import type { CandidateRecord } from '../../../src/portfolio/candidate.js';
import type { TradingDay } from '../../../src/runtime/build-days.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';
import { DATE, noRules, ohlcDay, signalAt } from '../../helpers/trade-bars.js';

const BARS = ohlcDay([
  [20, 20.1, 19.9, 20.0],
  [20.0, 20.4, 19.95, 20.3],
  [20.3, 20.35, 19.7, 19.8],
  [19.8, 20.2, 19.75, 20.1],
  [20.1, 20.6, 20.0, 20.5],
  [20.5, 20.7, 20.2, 20.3],
]);
const DAY = { date: DATE, bars: BARS } as unknown as TradingDay;
const SIGNALS = [signalAt(BARS, 1, 'SHORT'), signalAt(BARS, 0, 'LONG')];
const RULES = [noRules(), noRules({ stopPct: 1 }), noRules({ targetPct: 50 }), noRules({ direction: 'SHORT' })];

describe('runtime: a ticker-day traded under several rules', () => {
  it('gives each rule the candidates, untraded counts and price path of the day traded under it alone', () => {
    const trade = createDayTrader(DAY, '5min');
    const lists: CandidateRecord[][] = [];
    const outcomes = RULES.map((rules) => {
      const o: DayOutcome = { date: DATE, bars: BARS.length, steps: BARS.length, skipped: false, signals: SIGNALS };
      lists.push(trade(o, rules));
      return o;
    });
    // Shipped as a sweep ships them: the day's lists in one buffer (candidate-bytes.ts).
    const bytes = encodeCandidateLists(lists);
    RULES.forEach((rules, k) => {
      // Alone: the signals in their total order (LONG at bar 0 first), as the main thread merges them.
      const alone = simulateDay(BARS, [SIGNALS[1], SIGNALS[0]], rules, 300_000);
      // Shipped as bytes (candidate-bytes.ts), read back as the JSON of each record.
      const shipped = decodeDayCandidates(bytes[k]);
      expect(shipped, `rule ${k}`).to.deep.equal(JSON.parse(JSON.stringify(alone.candidates)));
      expect(outcomes[k].untraded, `rule ${k}`).to.deep.equal(alone.untraded);
      expect(outcomes[k].prices, `rule ${k}`).to.deep.equal(alone.prices);
      expect(outcomes[k].span).to.deep.equal([BARS[0].timestamp, BARS[5].timestamp + 300_000]);
    });
    // No stop and a target never reached hold the same bars: one path for both.
    expect(outcomes[2].prices).to.equal(outcomes[0].prices);
    expect(decodeDayCandidates(bytes[1])).to.not.deep.equal(decodeDayCandidates(bytes[0]));
  });
});
