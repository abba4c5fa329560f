import { expect } from 'chai';
import { formatDateRanges } from '../../../src/report/format-date-ranges.js';

describe('formatDateRanges: date lists read as ranges', () => {
  it('joins consecutive trading days, across a weekend, into one range', () => {
    // 2025-11-03 is a Monday; 11-07 a Friday; 11-10 the Monday after.
    expect(formatDateRanges(['2025-11-03', '2025-11-04', '2025-11-05', '2025-11-06', '2025-11-07'])).to.equal('2025-11-03…2025-11-07');
    expect(formatDateRanges(['2025-11-06', '2025-11-07', '2025-11-10', '2025-11-11'])).to.equal('2025-11-06…2025-11-11');
  });

  it('breaks a range at a gap, keeps a lone date alone, and sorts and de-duplicates first', () => {
    expect(formatDateRanges(['2025-11-12', '2025-11-03', '2025-11-04', '2025-11-04', '2025-11-20', '2025-11-21']))
      .to.equal('2025-11-03…2025-11-04, 2025-11-12, 2025-11-20…2025-11-21');
    expect(formatDateRanges(['2025-11-05'])).to.equal('2025-11-05');
    expect(formatDateRanges([])).to.equal('');
  });
});
