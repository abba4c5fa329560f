import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { columnCacheFile, locateColumnCache, readColumnCache, writeColumnCache, type ColumnCacheKey } from '../../../src/data/column-cache.js';
import { useTempDir } from '../../helpers/temp.js';

const key: ColumnCacheKey = { ticker: 'AAA', timeframe: '5min', fromMs: 1_000, toMs: 2_000, entry: [2, 1_000, 1_300, 'abcdef0123456789'] };
// Two rows, with values a text format could lose: -0, the largest double, 0.1 + 0.2, 2^53 - 1, a subnormal.
const rows = new Float64Array([1_000, -0, Number.MAX_VALUE, 0.1 + 0.2, 9.5, 2 ** 53 - 1, 1_300, 1e-310, 3, 2, 2.5, 0]);

describe('column cache: a task window\'s rows kept by the name of their fingerprint', () => {
  const tmp = useTempDir();

  it('gives back the rows kept under the same name, bit for bit', () => {
    const dir = path.join(tmp(), 'round-trip');
    writeColumnCache(dir, key, rows);
    const got = readColumnCache(dir, key)!;
    expect(Array.from(new Uint8Array(got.buffer))).to.deep.equal(Array.from(new Uint8Array(rows.buffer)));
    expect(Object.is(got[1], -0)).to.equal(true);
  });

  it('is a miss under another fingerprint entry, window or timeframe', () => {
    const dir = path.join(tmp(), 'names');
    writeColumnCache(dir, key, rows);
    expect(readColumnCache(dir, { ...key, entry: [2, 1_000, 1_300, 'abcdef0123456788'] })).to.equal(null);
    expect(readColumnCache(dir, { ...key, toMs: 2_001 })).to.equal(null);
    expect(readColumnCache(dir, { ...key, timeframe: '1min' })).to.equal(null);
    expect(readColumnCache(dir, { ...key, ticker: 'AAB' })).to.equal(null);
  });

  it('treats a cut or foreign file under the name as a miss', () => {
    const dir = path.join(tmp(), 'damaged');
    writeColumnCache(dir, key, rows);
    const file = columnCacheFile(dir, key);
    fs.truncateSync(file, fs.statSync(file).size - 8);
    expect(readColumnCache(dir, key)).to.equal(null);
    fs.writeFileSync(file, Buffer.alloc(8 + 48));
    expect(readColumnCache(dir, key)).to.equal(null);
  });

  it('skips a write it cannot make, throwing nothing and leaving no temporary file', () => {
    const blocker = path.join(tmp(), 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    expect(() => writeColumnCache(blocker, key, rows)).not.to.throw();
    expect(fs.readdirSync(tmp()).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    expect(fs.readFileSync(blocker, 'utf8')).to.equal('x');
  });

  it('is off unless BARWISE_COLUMN_CACHE names a folder, or says on (beside the default results database)', () => {
    expect(locateColumnCache({})).to.equal(null);
    expect(locateColumnCache({ XDG_DATA_HOME: '/x' })).to.equal(null);
    expect(locateColumnCache({ BARWISE_COLUMN_CACHE: 'off' })).to.equal(null);
    expect(locateColumnCache({ BARWISE_COLUMN_CACHE: '/srv/cols' })).to.equal('/srv/cols');
    expect(locateColumnCache({ BARWISE_COLUMN_CACHE: 'on', XDG_DATA_HOME: '/x' })).to.equal('/x/barwise/column-cache');
    expect(locateColumnCache({ BARWISE_COLUMN_CACHE: 'on', XDG_DATA_HOME: 'relative', HOME: '/home/u' })).to.equal('/home/u/.local/share/barwise/column-cache');
  });
});
