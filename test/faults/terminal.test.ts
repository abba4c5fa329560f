/**
 * Fault catalogue, what the terminal says around a run (docs/reliability.md, "Terminal"): a scanner bug that
 * fails every ticker-day the same way stops the run early (--max-failures) naming the bug once; every run names
 * the files it wrote and where it is recorded; resuming a completed run reruns nothing; a script started per
 * step is announced with the time it will take. The pseudo-terminal cases (Ctrl-C, the bar) are in
 * test/integration/terminal.test.ts.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { planTasks } from '../../src/plan/plan-tasks.js';
import { faultFixture, fixture, expectClean, readRun, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];
/** For the busy fixtures' runs that only have to complete: the same steps, without the busy wait. */
const FAST = { SLOW_STEP_MS: '0' };
const TICKERS = Array.from({ length: 12 }, (_, i) => `T${String.fromCharCode(65 + i)}`);

/**
 * The most failures a run stopped by --max-failures N keeps (docs/reliability.md): the N - 1 counted before the
 * stop, then on each thread at most the task it is in, a task's ticker-days being those of its planned window.
 */
function failureBound(n: number, threads: number): number {
  const tasks = planTasks(TICKERS, DATES[0], DATES[DATES.length - 1], threads);
  const taskDays = Math.max(...tasks.map((t) => DATES.filter((d) => d >= t.fromDate && d <= t.toDate).length));
  return n - 1 + threads * taskDays;
}

/** Ticker-days the results database holds as finished (read while the run goes). */
function finishedDays(resultsDb: string): number {
  if (!fs.existsSync(resultsDb)) return 0;
  try {
    return readRun(resultsDb)?.days.length ?? 0;
  } catch {
    return 0;
  }
}

describe('faults: terminal', function () {
  const store = useFaultStore(() => storeDays(TICKERS, DATES, 12));
  const bt = (...args: string[]) => store.backtest(args);

  it('a scanner that throws the same error on every ticker-day: stopped after --max-failures alike, the first named with its stack and file:line, finished days kept (exit 1)', async () => {
    const r = await bt('--scanner', faultFixture('throws-at-once.ts'), '--max-failures', '10', '--threads', '1');
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.match(/barwise: stopped the run: 10 ticker-days failed the same way \(SCANNER_THREW: Cannot read properties of undefined \(reading 'vwap'\)\) at test\/faults\/fixtures\/throws-at-once\.ts:6:\d+; the first was TA 2025-10-30\n/);
    // The stack, frame by frame, starting in the scanner.
    expect(r.stderr).to.match(/\n {4}at [^\n]*throws-at-once\.ts:6:\d+\)?\n/);
    expect(r.stderr).to.match(/Fix the scanner at test\/faults\/fixtures\/throws-at-once\.ts:6:\d+ and start the run again[^\n]*continue with: npm run backtest -- --resume \d+ --results-db /);
    const kept = r.kept!;
    expect(kept.run.status).to.equal('error');
    // Stopped at the limit, and every failure it kept is the same one.
    expect(kept.failures.length).to.be.within(10, failureBound(10, 1));
    expect(new Set(kept.failures.map((f) => `${f.code} ${f.message}`)).size).to.equal(1);
    expectClean(r);
  });

  // N above what the first calls fail (each of a single task until the batch runner has measured one), so the
  // limit is crossed inside a worker call of several tasks: the stop must reach that call's next task.
  for (const threads of [1, 2, 4]) {
    it(`--max-failures N, a scanner failing every ticker-day at once, ${threads} thread(s): stopped after at least N and at most N - 1 + threads x (ticker-days in a task) failures, each kept`, async () => {
      const r = await bt('--scanner', faultFixture('throws-at-once.ts'), '--max-failures', '22', '--threads', String(threads));
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.include('barwise: stopped the run: 22 ticker-days failed the same way');
      const kept = r.kept!;
      expect(kept.run.status).to.equal('error');
      expect(kept.failures.length).to.be.within(22, failureBound(22, threads));
      // Every failure counted is recorded with its day: none lost with a worker call still running at the stop.
      expect(kept.days.filter((d) => d.status === 'failed').length).to.equal(kept.failures.length);
      expectClean(r);
    });
  }

  it('--max-failures 0 runs every ticker-day however many fail alike (exit 1, status partial)', async () => {
    const r = await bt('--scanner', faultFixture('throws-at-once.ts'), '--max-failures', '0');
    expect(r.code, r.stderr).to.equal(1);
    expect(r.kept!.run.status).to.equal('partial');
    expect(r.kept!.failures).to.have.length(TICKERS.length * DATES.length);
    expect(r.stderr).to.not.include('stopped the run');
    expectClean(r);
  });

  it('--out, --trades-csv and --report: each file named with its size, with the run id; the run ends naming the results database (exit 0)', async () => {
    const csv = store.file('t.csv');
    const html = store.file('t.html');
    const r = await bt('--scanner', fixture('every-bar.sql'), '--trades-csv', csv, '--report', html, '--tickers', 'TA,TB');
    expect(r.code, r.stderr).to.equal(0);
    const id = r.kept!.run.id;
    const size = (f: string) => fs.statSync(f).size;
    const shown = (f: string) => new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(([\\d.,]+) (B|kB|MB)\\)`).exec(r.stderr);
    for (const f of [r.out, csv, html]) {
      const m = shown(f);
      expect(m, `${f} in: ${r.stderr}`).to.not.equal(null);
      const bytes = Number(m![1].replace(/,/g, '')) * { B: 1, kB: 1000, MB: 1_000_000 }[m![2] as 'B' | 'kB' | 'MB'];
      expect(Math.abs(bytes - size(f)) / size(f), `size shown for ${f}`).to.be.below(0.06);
    }
    expect(r.stderr).to.include(`for run #${id}\n`);
    const resultsDb = r.stderr.match(/barwise: run #\d+ \(completed\) is recorded in (\S+)\n$/);
    expect(resultsDb, r.stderr).to.not.equal(null);
    expect(fs.existsSync(resultsDb![1])).to.equal(true);
  });

  it('--resume of a completed run: says it is already complete, reruns nothing (exit 0)', async () => {
    const first = await bt('--scanner', fixture('every-bar.sql'), '--tickers', 'TA');
    expect(first.code, first.stderr).to.equal(0);
    const resultsDb = first.stderr.match(/is recorded in (\S+)\n/)![1];
    const before = readRun(resultsDb)!;
    const r = await runFault(store.file('tmp'), ['backtest', '--resume', String(before.run.id), '--results-db', resultsDb]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include(`barwise: run #${before.run.id} of ${resultsDb} is already complete; nothing to run.`);
    const after = readRun(resultsDb)!;
    expect(after.run).to.deep.equal(before.run);
    expectClean(r);
  });

  it('a resumed run starts by saying how much of the run it keeps (K of M ticker-days); its speed counts only new steps', async () => {
    const results = store.file('resumed.db');
    const args = ['backtest', '--db', store.db, '--scanner', faultFixture('slow.ts'), '--threads', '2', '--results-db', results];
    const first = await runFault(store.file('tmp'), args, { kill: { signal: 'SIGINT', until: () => finishedDays(results) >= 3 } });
    expect(first.code, first.stderr).to.equal(130);
    const kept = readRun(results)!;
    const done = kept.days.length;
    const out = store.file('resumed.json');
    // 5 ms steps instead of 25: still slow enough that the kept days' steps, counted in, would move the speed.
    const r = await runFault(store.file('tmp'), ['backtest', '--resume', String(kept.run.id), '--results-db', results, '--out', out], { env: { SLOW_STEP_MS: '5' } });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr.split('\n')[0]).to.equal(`barwise: resuming run #${kept.run.id}: ${done} of ${TICKERS.length * DATES.length} ticker-days kept`);
    // The speed is this session's steps over this session's time: a kept day (12 steps: 12 bars, warmup 0) took none of it.
    const { counts, timings } = JSON.parse(fs.readFileSync(out, 'utf8')).run;
    expect(counts.ticker_days).to.equal(TICKERS.length * DATES.length);
    // (Within 1: scan_ms is rounded to 0.1 ms.) Dividing all steps by this time would be far above it.
    expect(timings.steps_per_s).to.be.closeTo(((counts.steps - done * 12) * 1000) / timings.scan_ms, 1);
    expectClean(r);
  });

  it('an audit interrupted in its realtime run classifies only ticker-days both runs finished, lists the rest as unaudited, and its printed command completes it as an uninterrupted audit', async function () {
    this.timeout(240_000);
    const results = store.file('audit-stopped.db');
    const out = store.file('audit-stopped.json');
    const args = ['--db', store.db, '--scanner', faultFixture('slow-peeks-ahead.ts'), '--threads', '2', '--order-sample', '0'];
    // Run #1 is the full-day run, #2 the realtime one: stopped once realtime has finished a few ticker-days.
    const realtimeDays = () => (fs.existsSync(results) ? readRun(results, 2)?.days.length ?? 0 : 0);
    const first = await runFault(store.file('tmp'), ['audit', ...args, '--results-db', results, '--out', out], { kill: { signal: 'SIGINT', until: () => realtimeDays() >= 3 } });
    expect(first.code, first.stderr).to.equal(130);
    expectClean(first);
    const planned = TICKERS.length * DATES.length;
    const fullDay = readRun(results, 1)!;
    const realtime = readRun(results, 2)!;
    expect(fullDay.run.status).to.equal('completed');
    expect(realtime.run.status).to.equal('interrupted');
    const key = (d: { ticker: string; date: string }) => `${d.ticker} ${d.date}`;
    const finishedByRealtime = new Set(realtime.days.filter((d) => d.status !== 'failed').map(key));
    expect(finishedByRealtime.size).to.be.at.least(3).and.below(planned);
    const stopped = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(stopped.audit.status).to.equal('interrupted');
    // Every classified signal is on a day both runs finished: none is called phantom for a day realtime never ran.
    for (const e of stopped.entries) expect(finishedByRealtime.has(key(e)), `${key(e)} ${e.category}`).to.equal(true);
    // The others are unaudited, each with its reason, and nothing else is.
    const all = TICKERS.flatMap((ticker) => DATES.map((date) => ({ ticker, date })));
    const unfinished = all.filter((d) => !finishedByRealtime.has(key(d))).map(key).sort();
    expect(stopped.unaudited.map(key).sort()).to.deep.equal(unfinished);
    for (const u of stopped.unaudited) {
      expect(u).to.deep.include({ run: 'realtime', code: 'NOT_FINISHED', message: 'the realtime run did not finish this ticker-day before the audit was stopped' });
    }
    const compared = planned - unfinished.length;
    expect(first.stderr).to.include(`barwise: audit interrupted: ${compared} of ${planned} ticker-days finished in both runs and were compared; ${unfinished.length} not finished by both runs are listed as unaudited in ${out}.\n`);
    const command = /continue with: npm run audit -- (--resume 1,2 --results-db (\S+) --out (\S+) --order-sample 0)\n/.exec(first.stderr);
    expect(command, first.stderr).to.not.equal(null);
    expect([command![2], command![3]]).to.deep.equal([results, out]);

    // The same steps without the fixture's busy wait: the rest need not be long enough to interrupt.
    const resumed = await runFault(store.file('tmp'), ['audit', ...command![1].split(' ')], { env: FAST });
    expect(resumed.code, resumed.stderr).to.equal(0);
    expectClean(resumed);
    const whole = store.file('audit-whole.json');
    const uninterrupted = await runFault(store.file('tmp'), ['audit', ...args, '--results-db', store.file('audit-whole.db'), '--out', whole], { env: FAST });
    expect(uninterrupted.code, uninterrupted.stderr).to.equal(0);
    const a = JSON.parse(fs.readFileSync(out, 'utf8'));
    const b = JSON.parse(fs.readFileSync(whole, 'utf8'));
    expect(b.entries.length, 'the scanner fires').to.be.above(0);
    expect(new Set(b.entries.map((e: { category: string }) => e.category)).size, 'more than one category').to.be.above(1);
    expect(a.audit).to.deep.equal(b.audit);
    expect(a.entries).to.deep.equal(b.entries);
    expect(a.unaudited).to.deep.equal([]);
    // The stopped audit's entries are the uninterrupted audit's on the days it compared.
    expect(stopped.entries).to.deep.equal(b.entries.filter((e: { ticker: string; date: string }) => finishedByRealtime.has(key(e))));
    expect([a.runs.full_day.id, a.runs.realtime.id]).to.deep.equal([1, 2]);
  });

  it('audit --resume takes the audit\'s two runs: a backtest run, or a value that is not N,M, is refused naming the flag (exit 2)', async () => {
    const bad = await runFault(store.file('tmp'), ['audit', '--db', store.db, '--resume', 'x', '--results-db', store.file('none.db')]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('barwise: --resume must be N,M: the audit\'s full-day and realtime run ids (N alone when realtime had not started), got "x"');
    const plain = await bt('--scanner', fixture('every-bar.sql'), '--tickers', 'TA');
    const resultsDb = plain.stderr.match(/is recorded in (\S+)\n/)![1];
    const r = await runFault(store.file('tmp'), ['audit', '--resume', String(plain.kept!.run.id), '--results-db', resultsDb]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include(`barwise: --resume ${plain.kept!.run.id}: run #${plain.kept!.run.id} is a realtime run, not an audit's full-day run`);
  });

  it('a legacy script started per step: warned up front with the steps and the estimated time, and the run goes on off a terminal (exit 0)', async () => {
    const r = await bt('--scanner', fixture('close-above-first.py'), '--tickers', 'TA', '--from', '2025-11-03', '--to', '2025-11-03', '--no-persistent', '--no-warm', '--warmup', '2');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/barwise: a process is started for every step: 10 steps over 1 ticker-days, about \d+s on 1 worker\(s\) at ~0\.4 s per step\.\n {2}--mode realtime \(the default\) keeps the scanner loaded; a run-once script runs warm there unless --no-warm/);
    expect(r.kept!.run.status).to.equal('completed');
    expectClean(r);
  });
});
