import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { BarwiseError } from '../../../src/errors.js';
import { checkOutputPaths } from '../../../src/config/check-output-paths.js';
import { useTempDir } from '../../helpers/temp.js';

describe('checkOutputPaths', () => {
  const tmp = useTempDir('barwise-paths-');
  const file = (f: string) => path.join(tmp(), f);
  before(() => {
    fs.writeFileSync(file('m.db'), 'market');
    fs.writeFileSync(file('scan.sql'), 'SELECT 1');
    fs.mkdirSync(file('sub'));
  });

  const refusal = (fn: () => void): BarwiseError => {
    try {
      fn();
    } catch (err) {
      expect(err).to.be.instanceOf(BarwiseError);
      return err as BarwiseError;
    }
    throw new Error('expected a refusal');
  };
  const db = () => ({ option: '--db', path: file('m.db'), sqlite: true });

  it('refuses an output naming an input, with both options in the message (exit-2 code)', () => {
    const err = refusal(() => checkOutputPaths([db()], [{ option: '--out', path: file('m.db') }]));
    expect(err.code).to.equal('USAGE');
    expect(err.message).to.contain('--out').and.contain('--db').and.contain('m.db');
  });

  it('sees through relative spellings and ..', () => {
    const rel = path.relative(process.cwd(), file('sub/../m.db'));
    refusal(() => checkOutputPaths([db()], [{ option: '--report', path: rel }]));
  });

  it('sees through a symlink to the file', () => {
    fs.symlinkSync(file('m.db'), file('link.db'));
    refusal(() => checkOutputPaths([db()], [{ option: '--out', path: file('link.db') }]));
  });

  it('sees through a symlinked directory for a file not written yet', () => {
    fs.symlinkSync(tmp(), file('sub/up'));
    const err = refusal(() => checkOutputPaths([], [
      { option: '--out', path: file('new.json') },
      { option: '--trades-csv', path: file('sub/up/new.json') },
    ]));
    expect(err.message).to.contain('--trades-csv').and.contain('--out').and.contain('another output');
  });

  it('sees a hard link (same device and inode) as the same file', () => {
    fs.linkSync(file('scan.sql'), file('hard.sql'));
    refusal(() => checkOutputPaths([{ option: '--scanner', path: file('scan.sql') }], [{ option: '--out', path: file('hard.sql') }]));
  });

  it("treats a database's -wal, -shm and -journal files as the database", () => {
    for (const side of ['-wal', '-shm', '-journal']) {
      refusal(() => checkOutputPaths([db()], [{ option: '--out', path: file(`m.db${side}`) }]));
    }
    refusal(() => checkOutputPaths([], [{ option: '--results-db', path: file('r.db'), sqlite: true }, { option: '--out', path: file('r.db-wal') }]));
  });

  it('accepts distinct paths, and leaves out options not given', () => {
    expect(() => checkOutputPaths([db(), null, { option: '--tickers-file', path: '' }], [
      { option: '--results-db', path: file('r.db'), sqlite: true },
      { option: '--out', path: file('m.json') },
      undefined,
      { option: '--report', path: file('sub/m.db') },
    ])).not.to.throw();
  });
});
