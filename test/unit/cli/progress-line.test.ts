/**
 * The progress bar's line and the view that draws it: what a user sees while a run goes, from progress
 * values built by hand (the expected figures are computed here from the same inputs, not read from the code).
 */
import { expect } from 'chai';
import type { Progress } from '../../../src/engine/run-result.js';
import { estimateProgress, formatDuration, formatProgressLine } from '../../../src/cli/progress-line.js';
import { createProgressView } from '../../../src/cli/progress-bar.js';
import { checkPerStepConfirmed, formatPerStepWarning, formatResumeStart } from '../../../src/cli/run-start-notices.js';
import { formatBytes } from '../../../src/cli/output-notices.js';

function makeProgress(o: Partial<Progress> = {}): Progress {
  return {
    runId: 1, tasksDone: 0, tasksTotal: 10, elapsedMs: 0, tasks: 10, ticker_days_planned: 100, ticker_days: 0, ticker_days_skipped: 0,
    ticker_days_failed: 0, longest_day_bars: 0, steps: 0, signals: 0, failures: 0, tickerDaysDone: 0, stepsDone: 0, tickerDaysKept: 0,
    stepsKept: 0, stepsPlanned: 100 * 50, ...o,
  };
}

describe('progress line', () => {
  it('shows ETA — (never ETA 0s) and no speed at 0%', () => {
    const line = formatProgressLine(makeProgress(), null, 200);
    expect(line).to.include(' 0% ');
    expect(line).to.include('0/100 ticker-days');
    expect(line).to.include('— steps/s');
    expect(line).to.match(/ETA —$/);
    expect(formatProgressLine(makeProgress({ elapsedMs: 60_000 }), null, 200)).to.match(/ETA —$/);
  });

  it('moves with the steps of running tasks before any task answered', () => {
    // No ticker-day answered, 1,250 of the 5,000 planned steps done in 10 s: a quarter, 30 s to go.
    const e = estimateProgress(makeProgress({ stepsDone: 1250, elapsedMs: 10_000 }));
    expect(e.fraction).to.equal(0.25);
    expect(e.stepsPerSec).to.equal(125);
    expect(e.etaMs).to.equal(30_000);
    expect(formatProgressLine(makeProgress({ stepsDone: 1250, elapsedMs: 10_000 }), null, 200)).to.include('25% | 0/100 ticker-days | 125 steps/s').and.match(/ETA 30s$/);
  });

  it('sizes a ticker-day by the answered ones once there are some', () => {
    // 10 days answered with 20 steps each: 100 days are 2,000 steps, not the 5,000 planned.
    const e = estimateProgress(makeProgress({ ticker_days: 10, steps: 200, tickerDaysDone: 10, stepsDone: 500, elapsedMs: 5000 }));
    expect(e.fraction).to.equal(0.25);
  });

  it('counts only this session in a resumed run: speed of new steps over new time, ETA from new progress', () => {
    // 50 of 100 days kept (2,500 steps); this session did 10 more days (500 steps) in 10 s.
    const p = makeProgress({ ticker_days: 60, steps: 3000, tickerDaysDone: 60, stepsDone: 3000, tickerDaysKept: 50, stepsKept: 2500, elapsedMs: 10_000 });
    const e = estimateProgress(p);
    expect(e.stepsPerSec).to.equal(50);
    expect(e.fraction).to.equal(0.6);
    // 10% took 10 s: 40% to go is 40 s (dividing by all 60% would say ~6.7 s).
    expect(e.etaMs).to.be.closeTo(40_000, 1e-6);
  });

  it('reaches 100% only when every ticker-day is done, and never shows more done than planned', () => {
    expect(estimateProgress(makeProgress({ stepsDone: 9000, elapsedMs: 2000 })).fraction).to.be.below(1);
    const done = makeProgress({ ticker_days: 100, tickerDaysDone: 103, steps: 5000, stepsDone: 5000, elapsedMs: 2000 });
    expect(estimateProgress(done).fraction).to.equal(1);
    expect(formatProgressLine(done, null, 200)).to.include('100/100 ticker-days');
  });

  it('puts the phase label first and never exceeds the width (a wrapped line cannot be redrawn)', () => {
    const line = formatProgressLine(makeProgress({ stepsDone: 10, elapsedMs: 2000 }), '2/2 realtime', 200);
    expect(line.startsWith('2/2 realtime ')).to.equal(true);
    for (const width of [20, 40, 79]) expect([...formatProgressLine(makeProgress(), 'job 3/12 gaps', width)].length).to.be.at.most(width);
  });

  it('formats durations as a countdown', () => {
    expect([formatDuration(400), formatDuration(59_400), formatDuration(125_000), formatDuration(3_840_000)]).to.deep.equal(['0s', '59s', '2m05s', '1h04m']);
  });
});

describe('progress view (owns the terminal line)', () => {
  const makeStream = () => {
    const writes: string[] = [];
    return { writes, columns: 120, write: (t: string) => writes.push(t) };
  };

  it('clears the bar before a notice and draws it again after', () => {
    const s = makeStream();
    const view = createProgressView(true, s);
    view.start();
    view.update(makeProgress({ stepsDone: 10, elapsedMs: 2000 }));
    view.notice('barwise: something\n');
    const i = s.writes.indexOf('barwise: something\n');
    expect(s.writes[i - 1]).to.equal('\r\x1b[2K');
    expect(s.writes[i + 1]).to.match(/^\r\x1b\[2K.*ticker-days/);
  });

  it('after close, clears the line and draws nothing more, even if the run keeps reporting', () => {
    const s = makeStream();
    const view = createProgressView(true, s);
    view.start();
    view.update(makeProgress());
    view.close();
    const n = s.writes.length;
    expect(s.writes[n - 1]).to.equal('\r\x1b[2K');
    view.start('2/2 realtime');
    view.update(makeProgress({ stepsDone: 100, elapsedMs: 5000 }));
    view.notice('late\n');
    expect(s.writes.slice(n)).to.deep.equal(['late\n']);
  });

  it('off a terminal writes notices only', () => {
    const s = makeStream();
    const view = createProgressView(false, s);
    view.start();
    view.update(makeProgress({ stepsDone: 100, elapsedMs: 5000 }));
    view.notice('x\n');
    view.stop();
    expect(s.writes).to.deep.equal(['x\n']);
  });
});

describe('run start notices', () => {
  const work = { tickerDays: 2440, steps: 2440 * 48, workers: 2, processPerStep: true };

  it('says what a resumed run keeps, numbers with separators', () => {
    expect(formatResumeStart({ runId: 29, tasksTotal: 1, tickers: 1, threads: 1, from: '', to: '', tickerDaysTotal: 2440, resumed: true, tickerDaysKept: 242 }))
      .to.equal('barwise: resuming run #29: 242 of 2,440 ticker-days kept\n');
  });

  it('estimates a per-step script at 0.4 s a step over the workers, and says nothing for other runs', () => {
    // 117,120 steps × 0.4 s / 2 workers = 23,424 s = 6 h 30 m.
    expect(formatPerStepWarning(work)).to.include('117,120 steps over 2,440 ticker-days, about 6h30m on 2 worker(s)');
    expect(formatPerStepWarning({ ...work, processPerStep: false })).to.equal(null);
  });

  it('asks for --yes above an hour on a terminal only', () => {
    expect(() => checkPerStepConfirmed(work, { tty: true, yes: false })).to.throw(/estimated to take 6h30m/).with.property('code', 'CONFIRM_NEEDED');
    expect(() => checkPerStepConfirmed(work, { tty: true, yes: true })).to.not.throw();
    expect(() => checkPerStepConfirmed(work, { tty: false, yes: false })).to.not.throw();
    // 8,000 steps × 0.4 s / 1 = 53 min: under the hour.
    expect(() => checkPerStepConfirmed({ ...work, steps: 8000, workers: 1 }, { tty: true, yes: false })).to.not.throw();
  });

  it('formats sizes in B, kB and MB', () => {
    expect([formatBytes(999), formatBytes(86_312), formatBytes(1_250_000)]).to.deep.equal(['999 B', '86.3 kB', '1.3 MB']);
  });
});
