/**
 * The lines after `imported N bar(s)`: counts read as every other figure barwise prints for people, with
 * thousands separators (format-number.ts), the expected text written out by hand.
 */
import { expect } from 'chai';
import type { ImportReport } from '../../../src/data/import-csv.js';
import { formatImportSummary } from '../../../src/cli/import-summary.js';

function makeReport(o: Partial<ImportReport> = {}): ImportReport {
  return {
    files: ['a.csv'], rowsRead: 0, rowsImported: 0, badRowCount: 0, badRows: [], repeatedRowCount: 0, conflictCount: 0, conflicts: [],
    badRowsByKind: {}, outsideRegularHours: 0, summary: null, ...o,
  };
}

describe('import summary', () => {
  it('writes large counts with thousands separators', () => {
    const text = formatImportSummary(makeReport({
      summary: { tickers: 1204, days: 252, tickerDays: 301_344, bars: 23_504_832, from: '2024-11-01', to: '2025-10-31' },
      outsideRegularHours: 1_250_000,
      badRowCount: 12_345, badRowsByKind: { number: 12_000, prices: 345 }, repeatedRowCount: 1001, conflictCount: 2500,
    }));
    expect(text).to.equal([
      '  1,204 tickers, 252 trading days (301,344 ticker-days), 2024-11-01 to 2025-10-31',
      '  1,250,000 bars outside regular hours (09:30–16:00 New York): read only with --session extended',
      '  skipped 15,846 rows: 12,000 not a number, 345 impossible prices, 1,001 repeated, 2,500 conflicting',
      '',
    ].join('\n'));
  });

  it('keeps the singular for one', () => {
    const text = formatImportSummary(makeReport({ summary: { tickers: 1, days: 1, tickerDays: 1, bars: 1, from: '2025-11-03', to: '2025-11-03' }, outsideRegularHours: 1 }));
    expect(text).to.equal('  1 ticker, 1 trading day (1 ticker-day), 2025-11-03\n  1 bar outside regular hours (09:30–16:00 New York): read only with --session extended\n  skipped no rows\n');
  });
});
