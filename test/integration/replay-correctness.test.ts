/**
 * The engine's signals equal an independent brute-force replay (test/helpers/oracle.ts), for SQL and
 * module scanners, on the bundled real data and on synthetic edge cases, for any thread count.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { ensureBundledStore } from '../../src/data/bundled-store.js';
import { publicSignal } from '../../src/report/format-json.js';
import { readCsvBars, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay, moduleLogic, sqlLogic, type StepLogic } from '../helpers/oracle.js';
import { writeEdgeStore } from '../helpers/edge-store.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const scanner = (name: string) => (name.startsWith('test/') ? path.join(ROOT, name) : path.join(ROOT, 'scanners', name));

function bundledBars(): TestBar[] {
  const dir = path.join(ROOT, 'data', 'bundled');
  return fs.readdirSync(dir).flatMap((f) => readCsvBars(zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8')));
}

// `params`: the scanner's declared defaults, as the test writes them down (the run leaves them at their defaults).
const CASES = [
  { file: 'opening-range-breakout.sql', warmup: 6, kind: 'sql', params: { or_bars: 6n, vol_mult: 1.5 } },
  { file: 'volume-spike.sql', warmup: 12, kind: 'sql', params: {} },
  { file: 'vwap-reclaim.ts', warmup: 12, kind: 'module', params: { minBars: 6 } },
  { file: 'new-session-high.ts', warmup: 12, kind: 'module', params: {} },
  { file: 'test/fixtures/scanners/latest-is-high.sql', warmup: 10, kind: 'sql', params: {} },
] as const;

async function logicFor(c: (typeof CASES)[number]): Promise<StepLogic> {
  return c.kind === 'sql' ? sqlLogic(fs.readFileSync(scanner(c.file), 'utf8'), c.params) : moduleLogic(scanner(c.file), c.params);
}

describe('replay correctness against a brute-force replay', function () {
  const tmp = useTempDir();

  describe('on the bundled real data (7 tickers, 29 sessions, DST change, half day)', () => {
    let db: string;
    let bars: TestBar[];
    before(async () => {
      db = await ensureBundledStore();
      bars = bundledBars();
    });
    for (const c of CASES) {
      it(`${c.file}: first signal per ticker-day`, async () => {
        const result = await runBacktest({ db, scanner: scanner(c.file), threads: 2, resultsDb: ':memory:' });
        const expected = bruteForceReplay(bars, await logicFor(c), { warmup: c.warmup });
        expect(result.run.warmup).to.equal(c.warmup);
        expect(result.failures).to.deep.equal([]);
        expect(expected.length, 'the scanner should fire on this data').to.be.greaterThan(5);
        expect(result.signals.map(publicSignal)).to.deep.equal(expected);
      });
    }
  });

  describe('on synthetic edge cases (missing bars, short days, extended hours, messy time_of_day)', () => {
    let db: string;
    let bars: TestBar[];
    before(() => {
      db = path.join(tmp(), 'edge.db');
      bars = writeEdgeStore(db);
    });
    for (const c of CASES) {
      for (const session of ['regular', 'extended'] as const) {
        it(`${c.file}: all signals, ${session} session`, async () => {
          const result = await runBacktest({ db, scanner: scanner(c.file), threads: 2, resultsDb: ':memory:', signals: 'all', session, warmup: 30 });
          const expected = bruteForceReplay(bars, await logicFor(c), { warmup: 30, signals: 'all', session });
          expect(result.failures).to.deep.equal([]);
          expect(expected.length, 'the scanner should fire on this data').to.be.greaterThan(3);
          expect(result.signals.map(publicSignal)).to.deep.equal(expected);
        });
      }
    }

    it('skips days with fewer bars than the warmup and counts every step', async () => {
      const result = await runBacktest({ db, scanner: scanner('volume-spike.sql'), threads: 1, resultsDb: ':memory:', warmup: 30 });
      // AAA and BBB: 6 days each; CCC: 2 days. 2025-11-26 has 20 bars < 30 for AAA and BBB.
      expect(result.run.counts.ticker_days).to.equal(14);
      expect(result.run.counts.ticker_days_skipped).to.equal(2);
      const all = await runBacktest({ db, scanner: path.join(ROOT, 'test/fixtures/scanners/every-bar.sql'), threads: 2, resultsDb: ':memory:', signals: 'all', warmup: 30 });
      const expectedSteps = bruteForceReplay(bars, () => ({}), { warmup: 30, signals: 'all' }).length;
      expect(all.run.counts.steps).to.equal(expectedSteps);
      expect(all.signals.length).to.equal(expectedSteps);
    });
  });

  describe('on real thin ETF data with many missing bars (DBB)', () => {
    it('opening-range-breakout and vwap-reclaim match the brute-force replay', async () => {
      const bars = readCsvBars(fs.readFileSync(path.join(ROOT, 'test/fixtures/thin-dbb.csv'), 'utf8'));
      const db = writeStore(path.join(tmp(), 'dbb.db'), bars);
      for (const c of [CASES[0], CASES[2]]) {
        for (const warmup of [6, 20]) {
          const result = await runBacktest({ db, scanner: scanner(c.file), threads: 2, resultsDb: ':memory:', signals: 'all', warmup });
          expect(result.signals.map(publicSignal)).to.deep.equal(bruteForceReplay(bars, await logicFor(c), { warmup, signals: 'all' }));
        }
      }
    });
  });

  describe('for any thread count', () => {
    it('gives byte-identical signals with 1, 2 and 4 threads', async () => {
      const db = await ensureBundledStore();
      const outputs: string[] = [];
      for (const threads of [1, 2, 4]) {
        const r = await runBacktest({ db, scanner: scanner('vwap-reclaim.ts'), threads, resultsDb: ':memory:', signals: 'all' });
        expect(r.run.threads).to.equal(threads);
        outputs.push(JSON.stringify(r.signals));
      }
      expect(outputs[1]).to.equal(outputs[0]);
      expect(outputs[2]).to.equal(outputs[0]);
    });
  });
});
