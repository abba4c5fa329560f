/**
 * The report's series, checked on small hand-made inputs.
 */
import { expect } from 'chai';
import { buildHistogram } from '../../../src/report/report-data.js';
import { formatTradesCsv } from '../../../src/report/format-trades-csv.js';
import type { Trade } from '../../../src/types.js';

describe('report: data for the HTML report and CSV', () => {
  it('bins returns with 0 on an edge, so wins and losses never share a bin', () => {
    // 5 values → 5 bins over a range of 1.5: width 0.3 rounds up to 0.5; start floor(−0.6 / 0.5) × 0.5 = −1
    const h = buildHistogram([-0.6, -0.1, 0, 0.4, 0.9]);
    expect(h.edges).to.deep.equal([-1, -0.5, 0, 0.5, 1]);
    expect(h.counts).to.deep.equal([1, 1, 2, 1]);
    expect(buildHistogram([])).to.deep.equal({ edges: [], counts: [] });
  });

  it('writes one CSV row per trade with empty cells for nulls', () => {
    const t = { ticker: 'A', date: '2025-11-03', direction: 'LONG', signal_time: '09:30:00', signal_ts: 1, seq: 0, entry_time: '09:35:00', entry_ts: 2,
      entry_price: 10, exit_time: '16:00:00', exit_ts: 3, exit_price: 11, exit_reason: 'eod', bars_held: 77, shares: 100, commission: 0, slippage: 0, pnl: 100,
      return_pct: 10, r_multiple: null, mae_pct: -1, mfe_pct: 12 } satisfies Trade;
    const lines = formatTradesCsv([t]).trimEnd().split('\n');
    expect(lines[0]).to.equal('ticker,date,direction,signal_time,signal_ts,seq,entry_time,entry_ts,entry_price,exit_time,exit_ts,exit_price,exit_reason,bars_held,shares,commission,slippage,pnl,return_pct,r_multiple,mae_pct,mfe_pct');
    expect(lines[1]).to.equal('A,2025-11-03,LONG,09:30:00,1,0,09:35:00,2,10,16:00:00,3,11,eod,77,100,0,0,100,10,,-1,12');
  });
});
