import { expect } from 'chai';
import { formatCsvField } from '../../../src/report/format-trades-csv.js';

describe('trades CSV cells', () => {
  it('prefixes text that a spreadsheet would run as a formula with a quote (OWASP CSV injection)', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = formatCsvField(`${start}HYPERLINK("http://x")`);
      // Unquote as RFC 4180 does; what the spreadsheet reads must start with the quote.
      const read = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(read, JSON.stringify(cell)).to.equal(`'${start}HYPERLINK("http://x")`);
    }
  });

  it('keeps numbers numeric, negative ones included, and leaves plain text alone', () => {
    expect(formatCsvField(-12.5)).to.equal('-12.5');
    expect(formatCsvField(0)).to.equal('0');
    expect(formatCsvField('AAPL')).to.equal('AAPL');
    expect(formatCsvField('a,b')).to.equal('"a,b"');
    expect(formatCsvField(null)).to.equal('');
  });
});
