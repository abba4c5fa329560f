/**
 * The lookahead audit on honest scanners: an honest SQL and module scanner audits as 100% confirmed, in
 * both signal modes. audit.test.ts has the planted scanners whose lookahead is known.
 */
import path from 'node:path';
import { expect } from 'chai';
import { runAudit } from '../../src/audit/run-audit.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

describe('lookahead audit (honest scanners)', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    db = writeStore(path.join(tmp(), 'r.db'), ['AAA', 'BBB', 'CCC'].flatMap((t) =>
      ['2025-10-31', '2025-11-03', '2025-11-04'].flatMap((d) => makeDay(t, d, { missing: [4, 50] })),
    ));
  });
  const HONEST: [string, string, ('first' | 'all')[]][] = [
    ['SQL', 'scanners/opening-range-breakout.sql', ['first', 'all']],
    ['module', 'scanners/new-session-high.ts', ['first', 'all']],
  ];
  for (const [kind, file, modes] of HONEST) {
    for (const signals of modes) {
      it(`audits an honest ${kind} scanner as 100% confirmed (--signals ${signals})`, async () => {
        const a = await runAudit({ db, scanner: path.join(ROOT, file), signals, threads: 2, resultsDb: ':memory:', stepTimeoutMs: 20_000 });
        expect(a.unaudited).to.deep.equal([]);
        expect(a.audit.summary.full_day_signals, 'the scanner should fire on this data').to.be.greaterThan(2);
        expect(a.entries.every((e) => e.category === 'confirmed' && e.bars_late === 0)).to.equal(true);
        expect(a.audit.summary.knowable_share).to.equal(1);
        expect(a.audit.summary.realtime_signals).to.equal(a.audit.summary.full_day_signals);
      });
    }
  }
});
