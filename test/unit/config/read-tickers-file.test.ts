import { expect } from 'chai';
import { parseTickersFile } from '../../../src/config/read-tickers-file.js';

describe('tickers file', () => {
  it('takes one ticker per line, keeping a space inside a ticker and dropping comments, blanks, CR and a BOM', () => {
    expect(parseTickersFile('\uFEFFSPY\r\n# indexes\r\n\r\nBRK  B  # Berkshire\n  qqq \n', 't.txt')).to.deep.equal(['SPY', 'BRK B', 'qqq']);
  });

  it('refuses a line with a comma, a tab or a semicolon, naming file and line', () => {
    expect(() => parseTickersFile('SPY\nAAPL,Apple Inc.\n', 't.csv')).to.throw(/^t\.csv:2: "AAPL,Apple Inc\." is not one ticker \(it holds a comma\)$/);
    expect(() => parseTickersFile('AAPL\tApple\n', 't.tsv')).to.throw(/t\.tsv:1: .* \(it holds a tab\)/);
    expect(() => parseTickersFile('# a\nAAPL;MSFT\n', 't.txt')).to.throw(/t\.txt:2: .* \(it holds a semicolon\)/);
  });

  it('refuses a file without tickers', () => {
    expect(() => parseTickersFile('# none yet\n\n', 'e.txt')).to.throw(/tickers file e\.txt holds no tickers/);
  });
});
