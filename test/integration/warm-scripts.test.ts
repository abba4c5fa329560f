/**
 * Warm execution of run-once legacy scripts: one runner per worker re-running the script per step must give
 * exactly what a process per step gives (--no-warm) and what --mode naive gives (a fresh database file and
 * a fresh process per bar, the independent oracle): the same signals, the same failures, for scripts that
 * keep module-level state, exit with process.exit, log before their JSON, throw, await, or are ESM.
 */
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest, type RunResult } from '../../src/index.js';
import { publicSignal } from '../../src/report/format-json.js';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { bruteForceReplay } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const warmFixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners/warm', f);
// Steps from the 8th bar: 6 steps per ticker over the two days, each a process in --no-warm and naive mode.
const WARMUP = 7;

/** What a user compares between two runs: the signals in order, and which ticker-days failed with which code. */
const outcome = (r: RunResult) => ({
  signals: JSON.stringify(r.signals),
  failures: r.failures.map((f) => `${f.ticker} ${f.date} ${f.code}`).sort(),
});

describe('warm run-once scripts', function () {
  const tmp = useTempDir();
  let db: string;
  let bars: TestBar[];
  before(() => {
    bars = ['AAA', 'BBB', 'CCC'].flatMap((t) => [
      makeDay(t, '2025-10-31', { slots: 11 }),
      makeDay(t, '2025-11-03', { slots: 10, missing: [3] }),
    ]).flat();
    db = writeStore(path.join(tmp(), 'm.db'), bars);
  });
  const base = () => ({ db, threads: 2, resultsDb: ':memory:', signals: 'all' as const, warmup: WARMUP, stepTimeoutMs: 30_000 });

  /** The latest close above the day's first: what most fixtures find, computed without barwise. */
  const closeAboveFirst = (tickers: string[], to?: string) => bruteForceReplay(bars, ({ visible }) => (
    visible[visible.length - 1].close > visible[0].close ? { direction: 'LONG' } : null), { warmup: WARMUP, signals: 'all', tickers, to });

  const CASES: { name: string; file: string; failures: string[] }[] = [
    { name: 'TypeScript with state in a local module, a global, env and cwd', file: 'fresh-state.ts', failures: [] },
    { name: 'CommonJS with state in a required module', file: 'fresh-state.cjs', failures: [] },
    { name: 'process.exit after printing (code 3 on CCC)', file: 'exits-after-print.ts', failures: ['CCC 2025-10-31 SCANNER_THREW', 'CCC 2025-11-03 SCANNER_THREW'] },
    { name: 'ESM .mjs logging before and after its JSON', file: 'logs-first.mjs', failures: [] },
    { name: "JSON printed from an 'exit' listener, process.exitCode 4 on CCC", file: 'prints-on-exit.ts', failures: ['CCC 2025-10-31 SCANNER_THREW', 'CCC 2025-11-03 SCANNER_THREW'] },
    { name: 'a throw on BBB', file: 'throws-on-bbb.ts', failures: ['BBB 2025-10-31 SCANNER_THREW', 'BBB 2025-11-03 SCANNER_THREW'] },
    { name: 'async with timers, an unhandled rejection on BBB', file: 'awaits.ts', failures: ['BBB 2025-10-31 SCANNER_THREW', 'BBB 2025-11-03 SCANNER_THREW'] },
    // Only 2025-10-31 has an 11th bar: BBB's step there awaits forever, which node ends with exit code 13.
    { name: 'ESM with top-level await, dynamic import, import.meta; an unsettled await on BBB', file: 'awaits-at-top.mjs', failures: ['BBB 2025-10-31 SCANNER_THREW'] },
  ];
  // BBB and CCC, the tickers the fixtures fail on: 12 steps; whichever does not fail fires on at least 4.
  const tickers = ['BBB', 'CCC'];
  for (const c of CASES) {
    it(`warm = a process per step = naive: ${c.name}`, async () => {
      const scanner = warmFixture(c.file);
      const warm = await runBacktest({ ...base(), scanner, tickers });
      const perStep = await runBacktest({ ...base(), scanner, tickers, warm: false });
      const naive = await runBacktest({ ...base(), scanner, tickers, mode: 'naive' });
      expect(warm.run.warm, 'auto runs this script warm').to.equal(true);
      expect(perStep.run.warm).to.equal(false);
      expect(outcome(warm).failures).to.deep.equal(c.failures);
      expect(warm.signals.length, 'the script should fire on this data').to.be.greaterThan(3);
      expect(warm.run.counts.steps).to.equal(perStep.run.counts.steps);
      expect(outcome(warm)).to.deep.equal(outcome(perStep));
      expect(outcome(warm)).to.deep.equal(outcome(naive));
    });
  }

  it('a warm step sees exactly the bars so far, and no state of the step before (brute force)', async () => {
    const r = await runBacktest({ ...base(), scanner: warmFixture('fresh-state.ts') });
    expect(r.failures).to.deep.equal([]);
    const expected = closeAboveFirst(['AAA', 'BBB', 'CCC']);
    expect(expected.length).to.be.greaterThan(5);
    // Metrics hold what the script saw: the number of bars, and the step's SCAN_TIME.
    expect(r.signals.map((s) => ({ ...publicSignal(s), metrics: {} }))).to.deep.equal(expected.map((s) => ({ ...s, metrics: {} })));
    for (const s of r.signals) expect(s.metrics.scan_time).to.equal(s.signal_time);
  });

  it('a warm failure says what a process would: the code, the exit, and the error with its line in the script', async () => {
    const scanner = warmFixture('throws-on-bbb.ts');
    const warm = await runBacktest({ ...base(), scanner, tickers: ['BBB'], to: '2025-10-31' });
    const perStep = await runBacktest({ ...base(), scanner, tickers: ['BBB'], to: '2025-10-31', warm: false });
    const [w] = warm.failures;
    const [p] = perStep.failures;
    expect(w.code).to.equal(p.code);
    expect(w.message.split(';')[0]).to.equal(p.message.split(';')[0]);
    expect(w.message).to.match(/exited with code 1/);
    expect(w.message).to.contain('Error: no data source for BBB');
    expect(w.message).to.match(/throws-on-bbb\.ts:6:\d+/);
  });

  it('a step that never returns times out, and the next ticker-days run in a fresh runner', async () => {
    const scanner = warmFixture('hangs-on-bbb.ts');
    // BBB, whose steps hang, and CCC, which fires: on one worker, ticker-days after a hang need a fresh runner.
    const o = { ...base(), scanner, tickers: ['BBB', 'CCC'], stepTimeoutMs: 1500, threads: 1 };
    const warm = await runBacktest(o);
    // A process per step starts tsx every step (over a second on a loaded machine): it gets the time to do so,
    // and the step that never returns still times out.
    const perStep = await runBacktest({ ...o, warm: false, stepTimeoutMs: 8000 });
    expect(outcome(warm).failures).to.deep.equal(['BBB 2025-10-31 SCANNER_TIMEOUT', 'BBB 2025-11-03 SCANNER_TIMEOUT']);
    expect(outcome(warm)).to.deep.equal(outcome(perStep));
    expect(warm.signals.length, 'CCC fires').to.be.greaterThan(0);
    expect(warm.signals.map(publicSignal)).to.deep.equal(closeAboveFirst(['CCC']));
  });

  it('a script that cannot run warm runs as a process per step, says why, and finds the same', async () => {
    const notices: string[] = [];
    const scanner = warmFixture('spawns.ts');
    const o = { ...base(), scanner, tickers: ['AAA', 'BBB'], to: '2025-10-31' };
    const r = await runBacktest(o, { onNotice: (m) => notices.push(m) });
    expect(r.run.warm).to.equal(false);
    expect(notices).to.deep.equal([`spawns.ts runs as a process per step, not warm: it starts processes (${path.relative(process.cwd(), scanner)} imports node:child_process)`]);
    expect(r.failures).to.deep.equal([]);
    expect(r.signals.map((s) => ({ ...publicSignal(s), metrics: {} }))).to.deep.equal(closeAboveFirst(['AAA', 'BBB'], '2025-10-31'));
    const asked = await runBacktest({ ...o, warm: true }).then(() => null, (err: unknown) => err);
    expect(asked).to.have.property('code', 'USAGE');
    expect((asked as Error).message).to.equal('options.warm was given, but spawns.ts cannot run warm: it starts processes '
      + `(${path.relative(process.cwd(), scanner)} imports node:child_process)`);
  });
});
