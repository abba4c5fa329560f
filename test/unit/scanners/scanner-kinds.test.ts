/**
 * The registry of scanner kinds: every kind a file can be resolved to has an adapter, the --scanner-kind
 * choices are exactly those kinds, and each adapter reads its kind's declarations and builds a scanner.
 */
import path from 'node:path';
import { expect } from 'chai';
import { DayDb } from '../../../src/day-db/day-db.js';
import { inspectScanner } from '../../../src/scanners/load-scanner.js';
import { SCANNER_KIND_ADAPTERS } from '../../../src/scanners/scanner-kinds.js';
import { SCANNER_EXTENSIONS, SCANNER_KINDS } from '../../../src/scanners/scanner-source.js';
import { ROOT } from '../../helpers/temp.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'scanners');
/** One scanner of each kind, and what it declares. */
const EXAMPLES = {
  sql: { file: path.join(FIXTURES, 'every-bar.sql'), name: 'every-bar' },
  module: { file: path.join(FIXTURES, 'steady-climber.ts'), name: 'steady-climber' },
  script: { file: path.join(FIXTURES, 'close-above-first.py'), name: 'close-above-first' },
} as const;

describe('scanners: the registry of kinds', () => {
  it('has an adapter and extensions for exactly the kinds --scanner-kind offers', () => {
    expect(Object.keys(SCANNER_KIND_ADAPTERS)).to.have.members([...SCANNER_KINDS]);
    expect(Object.keys(SCANNER_EXTENSIONS)).to.deep.equal([...SCANNER_KINDS]);
    expect(Object.keys(EXAMPLES)).to.have.members([...SCANNER_KINDS]);
  });

  for (const kind of SCANNER_KINDS) {
    it(`reads a ${kind} scanner's declarations through its adapter, as the main thread and a naive child do`, async () => {
      const { file, name } = EXAMPLES[kind];
      const dayDb = new DayDb();
      try {
        const { source, meta } = await inspectScanner(file, dayDb);
        expect(source.kind).to.equal(kind);
        expect(meta).to.include({ kind, name, path: file });
        expect(await SCANNER_KIND_ADAPTERS[kind].readMeta(file)).to.include({ kind, name });
      } finally {
        dayDb.close();
      }
    });
  }
});
