import { expect } from 'chai';
import Table from 'cli-table3';
import { fitTable, listTop, readTerminalWidth } from '../../../src/report/fit-table.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
const plain = () => ({ style: { head: [] as string[], border: [] as string[] } });

describe('fitTable and listTop: what is printed fits the terminal', () => {
  it('leaves a table that fits as cli-table3 draws it', () => {
    const t = new Table({ head: ['a', 'b'], ...plain() });
    t.push(['1', '2']);
    const drawn = new Table({ head: ['a', 'b'], ...plain() });
    drawn.push(['1', '2']);
    expect(fitTable(t, 80)).to.equal(drawn.toString());
  });

  it('wraps a table wider than the terminal within its width, every word kept', () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`);
    const t = new Table({ head: ['label', 'value'], ...plain() });
    t.push(['Scanner', words.join(' ')], ['Range', 'short']);
    const text = fitTable(t, 60);
    expect(widest(text)).to.be.at.most(60);
    const cells = text.replace(/[│┌┐└┘├┤┬┴┼─]/g, ' ').split(/\s+/);
    for (const w of words) expect(cells, w).to.include(w);
  });

  it('fits a vertical table ({ label: value } rows) too', () => {
    const t = new Table(plain());
    t.push({ Scanner: 'x '.repeat(80) }, { Range: 'short' });
    expect(widest(fitTable(t, 50))).to.be.at.most(50);
  });

  /** Each row's cells as drawn: the pieces of each column between two horizontal borders, joined. */
  const readCells = (text: string) => {
    const rows: string[][] = [];
    let row: string[] | null = null;
    for (const line of text.split('\n')) {
      if (!line.startsWith('│')) {
        row = null;
        continue;
      }
      const pieces = line.split('│').slice(1, -1).map((p) => p.trim());
      if (!row) rows.push((row = pieces.map(() => '')));
      pieces.forEach((p, i) => (row![i] += p));
    }
    return rows;
  };

  it('fits a table of many columns that are all narrow already: narrower still, every character kept', () => {
    const head = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const row = head.map((_, i) => `2025-11-0${i + 1}`);
    const t = new Table({ head, ...plain() });
    t.push(row);
    expect(widest(t.toString()), 'wider than the terminal as drawn').to.be.above(60);
    const text = fitTable(t, 60);
    expect(widest(text)).to.be.at.most(60);
    expect(readCells(text)).to.deep.equal([head, row]);
  });

  it('fits a table whose only wide column is the last and is narrowed as far as words allow', () => {
    // The first column is narrow already; the last narrows to its floor and the table is still too wide.
    const t = new Table({ head: ['n', 'value'], ...plain() });
    t.push(['1', 'a'.repeat(30)], ['2', 'short']);
    for (const w of [16, 10]) {
      const text = fitTable(t, w);
      expect(widest(text), `width ${w}`).to.be.at.most(w);
      expect(readCells(text), `width ${w}`).to.deep.equal([['n', 'value'], ['1', 'a'.repeat(30)], ['2', 'short']]);
    }
  });

  it('overflows only a terminal narrower than one character per column', () => {
    const t = new Table({ head: ['a', 'b', 'c'], ...plain() });
    t.push(['xyz', 'xyz', 'xyz']);
    // Three columns of one character and their padding, and four borders: 13.
    expect(widest(fitTable(t, 13))).to.equal(13);
    expect(readCells(fitTable(t, 13))).to.deep.equal([['a', 'b', 'c'], ['xyz', 'xyz', 'xyz']]);
    expect(widest(fitTable(t, 12))).to.equal(13);
  });

  it('lists the top N lines, then how many more there are', () => {
    const lines = Array.from({ length: 35 }, (_, i) => `  T${i}`);
    expect(listTop(lines, 5)).to.deep.equal(['  T0', '  T1', '  T2', '  T3', '  T4', '  … and 30 more']);
    expect(listTop(lines.slice(0, 5), 5)).to.deep.equal(lines.slice(0, 5));
    expect(listTop(Array.from({ length: 1205 }, () => 'x'), 5).at(-1)).to.equal('  … and 1,200 more');
  });

  it('takes the terminal\'s width, and 80 columns when stdout is not a terminal', () => {
    expect(readTerminalWidth({ isTTY: true, columns: 160 })).to.equal(160);
    expect(readTerminalWidth({ isTTY: false, columns: 160 })).to.equal(80);
    expect(readTerminalWidth({})).to.equal(80);
  });
});
