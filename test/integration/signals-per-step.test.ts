/**
 * Several signals at one step, and the signal cap. (Scanner failures are in the fault catalogue,
 * test/faults/.)
 */
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);

describe('signals of one step, and the cap', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    const bars = ['AAA', 'BBB', 'CCC'].flatMap((t) => ['2025-10-31', '2025-11-03', '2025-11-04'].map((d) => makeDay(t, d, { slots: 20 }))).flat();
    db = writeStore(path.join(tmp(), 'm.db'), bars);
  });

  const base = () => ({ db, threads: 2, resultsDb: path.join(tmp(), 'results.db') });

  it('de-duplicates signals of one step by direction and keeps the first', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('two-per-step.ts'), signals: 'all', tickers: ['AAA'], from: '2025-10-31', to: '2025-10-31' });
    expect(r.signals.map((s) => [s.signal_time, s.direction, s.metrics])).to.deep.equal([
      ['09:30:00', 'LONG', { n: 1 }], ['09:30:00', 'SHORT', {}], ['10:20:00', 'LONG', { n: 1 }], ['10:20:00', 'SHORT', {}],
    ]);
  });

  it('caps signals deterministically with maxSignals, after the sort', async () => {
    const all = await runBacktest({ ...base(), scanner: fixture('throws-on-bbb.ts') });
    const capped = await runBacktest({ ...base(), scanner: fixture('throws-on-bbb.ts'), maxSignals: 3, threads: 1 });
    expect(capped.signals).to.deep.equal(all.signals.slice(0, 3));
  });
});
