/**
 * Legacy script scanners and --mode naive. Naive mode (a fresh database file and a fresh process per bar,
 * the seed's flow) is an independent oracle: it must give exactly the realtime signals for every scanner
 * kind, on edge-case days (DST change, half day, missing bars).
 */
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { publicSignal } from '../../src/report/format-json.js';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);

describe('script scanners and naive mode', function () {
  const tmp = useTempDir();
  let db: string;
  let bars: TestBar[];
  before(() => {
    bars = ['AAA', 'BBB'].flatMap((t) => [
      makeDay(t, '2025-10-31', { slots: 14 }),
      makeDay(t, '2025-11-03', { slots: 14, missing: [2, 9] }),
      makeDay(t, '2025-11-28', { slots: 12 }),
    ]).flat();
    db = writeStore(path.join(tmp(), 'm.db'), bars);
  });
  const base = () => ({ db, threads: 2, resultsDb: ':memory:', signals: 'all' as const, stepTimeoutMs: 20_000 });

  // Warmup 8: 28 steps, a process each in naive mode; the first step of 2025-11-03 is the bar after its gap.
  const KINDS: [string, string, number][] = [
    ['SQL', 'test/fixtures/scanners/latest-is-high.sql', 8],
    ['module', 'test/fixtures/scanners/lookahead-probe.ts', 8],
    ['script (Python, per step)', 'test/fixtures/scanners/close-above-first.py', 8],
    ['script (TypeScript, persistent)', 'scanners/legacy/persistent-momentum.ts', 8],
  ];
  for (const [kind, file, warmup] of KINDS) {
    it(`naive and realtime give identical signals: ${kind}`, async () => {
      const scanner = path.join(ROOT, file);
      const realtime = await runBacktest({ ...base(), scanner, warmup });
      const naive = await runBacktest({ ...base(), scanner, warmup, mode: 'naive' });
      expect(realtime.failures).to.deep.equal([]);
      expect(naive.failures).to.deep.equal([]);
      expect(realtime.signals.length, 'the scanner should fire on this data').to.be.greaterThan(0);
      expect(naive.run.counts.steps).to.equal(realtime.run.counts.steps);
      expect(JSON.stringify(naive.signals)).to.equal(JSON.stringify(realtime.signals));
    });
  }

  it('a Python script sees exactly the bars so far, logs before its JSON are skipped, other tickers dropped', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('close-above-first.py'), warmup: 8 });
    const expected = bruteForceReplay(bars, ({ ticker, visible }) => (visible[visible.length - 1].close > visible[0].close
      ? { direction: 'LONG', metrics: { bars_seen: visible.length, last_ts: visible[visible.length - 1].timestamp } }
      : null), { warmup: 8, signals: 'all' });
    expect(r.run.persistent).to.equal(false);
    expect(expected.length).to.be.greaterThan(5);
    expect(r.signals.map(publicSignal)).to.deep.equal(expected);
  });

  it('keeps the persistent protocol robust: log lines, wrong requestId, death, hang', async () => {
    const extra = writeStore(path.join(tmp(), 'p.db'), ['AAA', 'BBB', 'CCC', 'DDD'].flatMap((t) => makeDay(t, '2025-11-03', { slots: 8 })));
    const r = await runBacktest({ db: extra, threads: 1, resultsDb: ':memory:', scanner: fixture('persistent-flaky.py'), warmup: 5, stepTimeoutMs: 1500, signals: 'all' });
    expect(r.run.persistent).to.equal(true);
    const byTicker = Object.fromEntries(r.failures.map((f) => [f.ticker, f]));
    expect(byTicker.AAA.code).to.equal('SCANNER_THREW');
    expect(byTicker.AAA.message).to.match(/persistent script persistent-flaky\.py exited \(code 1\)/);
    expect(byTicker.BBB.code).to.equal('SCANNER_BAD_OUTPUT');
    expect(byTicker.BBB.message).to.match(/with requestId "wrong"/);
    expect(byTicker.CCC.code).to.equal('SCANNER_TIMEOUT');
    // DDD, after all that, is served by a restarted process, every step, with the right time.
    expect(r.signals.map((s) => [s.ticker, s.signal_time, s.metrics.time])).to.deep.equal(
      ['09:55:00', '10:00:00', '10:05:00'].map((t) => ['DDD', t, t]));
  });
});
