import { expect } from 'chai';
import { parseBarRow, parseTimestamp, tickerFromFileName } from '../../../src/data/parse-bar-row.js';
import { mapHeader, type ColumnMap } from '../../../src/data/csv-columns.js';

const HEADER = ['ticker', 'timestamp', 'open', 'high', 'low', 'close', 'volume'];

describe('CSV bar rows', () => {
  const map = mapHeader(HEADER, null) as ColumnMap;

  it('parses an ISO row with offset and labels it in New York time', () => {
    const r = parseBarRow(['spy', '2025-11-03T09:30:00-05:00', '1', '2', '0.5', '1.5', '100'], map, null);
    expect(r).to.deep.equal({ ok: true, bar: { ticker: 'SPY', timestamp: Date.parse('2025-11-03T14:30:00Z'), open: 1, high: 2, low: 0.5, close: 1.5, volume: 100, time_of_day: '09:30:00' } });
  });

  it('accepts epoch milliseconds and rejects epoch seconds with a hint', () => {
    expect(parseTimestamp('1762180200000')).to.equal(1762180200000);
    expect(parseTimestamp('1762180200')).to.match(/epoch seconds/);
  });

  it('rejects timestamps without an offset rather than guessing the zone', () => {
    expect(parseTimestamp('2025-11-03T09:30:00')).to.match(/UTC offset/);
    expect(parseTimestamp('2025-11-03T09:30:00Z')).to.equal(Date.parse('2025-11-03T09:30:00Z'));
  });

  const bad: [string, string[], RegExp][] = [
    ['unparsable number', ['A', '2025-11-03T09:30:00-05:00', 'x', '2', '1', '1', '1'], /open "x" is not a number/],
    ['high below low', ['A', '2025-11-03T09:30:00-05:00', '1', '1', '2', '1', '1'], /high 1 is below low 2/],
    ['negative volume', ['A', '2025-11-03T09:30:00-05:00', '1', '2', '1', '1', '-5'], /volume -5 is negative/],
    ['NaN', ['A', '2025-11-03T09:30:00-05:00', 'NaN', '2', '1', '1', '1'], /open "NaN" is not a number/],
    ['extra field', ['A', '2025-11-03T09:30:00-05:00', '1', '2', '1', '1', '1', '9'], /expected 7 fields, found 8/],
    ['empty ticker', ['', '2025-11-03T09:30:00-05:00', '1', '2', '1', '1', '1'], /ticker is empty/],
    ['zero price', ['A', '2025-11-03T09:30:00-05:00', '0', '2', '1', '1', '1'], /positive/],
  ];
  for (const [name, row, reason] of bad) {
    it(`reports a bad row: ${name}`, () => {
      const r = parseBarRow(row, map, null);
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.reason).to.match(reason);
    });
  }

  it('names unknown header columns', () => {
    expect(mapHeader(['ticker', 'timestamp', 'open', 'high', 'low', 'colse', 'volume'], null)).to.match(/unknown column\(s\) "colse"/);
  });

  it('takes the ticker from the file name when the ticker column is absent', () => {
    const m = mapHeader(HEADER.slice(1), 'AAPL');
    expect(m).to.not.be.a('string');
    const r = parseBarRow(['2025-11-03T09:30:00-05:00', '1', '2', '1', '1', '1'], m as ColumnMap, 'AAPL');
    expect(r.ok && r.bar.ticker).to.equal('AAPL');
    expect(mapHeader(HEADER.slice(1), null)).to.match(/missing column "ticker"/);
    expect(tickerFromFileName('/x/y/brk.b.csv.gz')).to.equal('BRK.B');
  });
});
