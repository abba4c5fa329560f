/**
 * A scanner that throws, returns garbage, hangs, never resolves, exits its worker or tries to write fails
 * only its own ticker-days; the run goes on and keeps every other result.
 */
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);

describe('scanner failures', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    const bars = ['AAA', 'BBB', 'CCC'].flatMap((t) => ['2025-10-31', '2025-11-03', '2025-11-04'].map((d) => makeDay(t, d, { slots: 20 }))).flat();
    db = writeStore(path.join(tmp(), 'm.db'), bars);
  });

  const base = () => ({ db, threads: 2, resultsDb: path.join(tmp(), 'results.db') });

  it('records a throwing scanner as failures of its ticker-days, with the message, and keeps the others', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('throws-on-bbb.ts') });
    expect(r.run.status).to.equal('partial');
    expect(r.failures.map((f) => [f.ticker, f.date, f.code])).to.deep.equal([
      ['BBB', '2025-10-31', 'SCANNER_THREW'], ['BBB', '2025-11-03', 'SCANNER_THREW'], ['BBB', '2025-11-04', 'SCANNER_THREW'],
    ]);
    expect(r.failures[0].message).to.equal('cannot handle BBB');
    expect(r.signals.map((s) => s.ticker)).to.deep.equal(['AAA', 'CCC', 'AAA', 'CCC', 'AAA', 'CCC']);
  });

  it('records garbage output as SCANNER_BAD_OUTPUT', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('returns-garbage.mjs') });
    expect(r.failures).to.have.length(9);
    expect(r.failures.every((f) => f.code === 'SCANNER_BAD_OUTPUT' && /returned a number \(42\)/.test(f.message))).to.equal(true);
  });

  it('stops a scanner stuck in a synchronous loop at the step timeout and carries on with a fresh worker', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('loops-on-bbb.ts'), stepTimeoutMs: 500 });
    expect(r.failures.map((f) => [f.ticker, f.date, f.code])).to.deep.equal([['BBB', '2025-11-03', 'SCANNER_TIMEOUT']]);
    // Every other ticker-day, BBB's other two days included, produced its signal.
    expect(r.signals).to.have.length(8);
    expect(r.signals.filter((s) => s.ticker === 'BBB').map((s) => s.signal_date)).to.deep.equal(['2025-10-31', '2025-11-04']);
  });

  it('times out a promise that never settles', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('never-resolves.ts'), stepTimeoutMs: 300, threads: 1 });
    expect(r.failures.map((f) => [f.ticker, f.code])).to.deep.equal([['BBB', 'SCANNER_TIMEOUT'], ['BBB', 'SCANNER_TIMEOUT'], ['BBB', 'SCANNER_TIMEOUT']]);
    expect(r.signals).to.have.length(6);
  });

  it('retries a day whose worker died once, then records it, keeping the rest', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('exits-on-bbb.ts') });
    expect(r.failures.map((f) => [f.ticker, f.date, f.code])).to.deep.equal([['BBB', '2025-11-03', 'WORKER_CRASHED']]);
    expect(r.failures[0].message).to.match(/died twice/);
    expect(r.signals).to.have.length(8);
  });

  it('refuses a module scanner that writes to the day database', async () => {
    const r = await runBacktest({ ...base(), scanner: fixture('writes-db.ts') });
    expect(r.failures).to.have.length(9);
    expect(r.failures[0].code).to.equal('SCANNER_WRITE');
  });

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
