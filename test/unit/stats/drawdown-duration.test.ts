/**
 * Time to recover (the longest drawdown in sessions) on hand-made end-of-session equity.
 */
import { expect } from 'chai';
import { computeLongestDrawdown } from '../../../src/stats/drawdown-duration.js';

const days = (equity: number[]) => equity.map((e, i) => ({ date: `2025-03-${String(i + 1).padStart(2, '0')}`, equity: e }));

describe('stats: time to recover', () => {
  it('counts the sessions closing below the peak, and says when the longest one has not recovered', () => {
    // Peak 101 on the 1st: the 2nd and 3rd are below (2), the 4th recovers at 102. Peak 102: the 5th to 8th are below (4), no recovery.
    expect(computeLongestDrawdown(days([101, 99, 100, 102, 101, 100, 99, 101.5]), 100)).to.deep.equal({
      sessions: 4, recovered: false, peak_date: '2025-03-04', recovery_date: null,
    });
  });

  it('counts a close back at the peak as recovered, and the capital as the first peak', () => {
    // Below the capital on the 1st to 3rd, back to exactly 100 on the 4th.
    expect(computeLongestDrawdown(days([98, 97, 99, 100, 100.5, 100]), 100)).to.deep.equal({
      sessions: 3, recovered: true, peak_date: null, recovery_date: '2025-03-04',
    });
  });

  it('is 0 sessions for equity that never closes below a peak', () => {
    expect(computeLongestDrawdown(days([100, 101, 101, 103]), 100).sessions).to.equal(0);
  });
});
