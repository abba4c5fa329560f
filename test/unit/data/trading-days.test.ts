import path from 'node:path';
import { expect } from 'chai';
import { openMarketStore } from '../../../src/data/market-store.js';
import { listLastTradingDays } from '../../../src/data/trading-days.js';
import { makeDay, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

describe('trading days', () => {
  const tmp = useTempDir();

  // AAA trades Oct 30 - Nov 5 except Nov 3; BBB only on Nov 3 and Nov 6. Weekends have no bars.
  const store = () => {
    const bars = [
      ...['2025-10-30', '2025-10-31', '2025-11-04', '2025-11-05'].map((d) => makeDay('AAA', d, { slots: 5 })),
      ...['2025-11-03', '2025-11-06'].map((d) => makeDay('BBB', d, { slots: 5 })),
    ].flat();
    return openMarketStore(writeStore(path.join(tmp(), `m${Math.random()}.db`), bars));
  };

  it('counts back from the last bar in the store over days on which any ticker of the universe traded', () => {
    const s = store();
    try {
      expect(listLastTradingDays(s, null, '5min', 4)).to.deep.equal(['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06']);
      expect(listLastTradingDays(s, ['AAA'], '5min', 3)).to.deep.equal(['2025-10-31', '2025-11-04', '2025-11-05']);
      expect(listLastTradingDays(s, ['BBB'], '5min', 1)).to.deep.equal(['2025-11-06']);
    } finally {
      s.close();
    }
  });

  it('returns what there is when asked for more days than the store holds', () => {
    const s = store();
    try {
      expect(listLastTradingDays(s, ['AAA'], '5min', 50)).to.deep.equal(['2025-10-30', '2025-10-31', '2025-11-04', '2025-11-05']);
    } finally {
      s.close();
    }
  });
});
