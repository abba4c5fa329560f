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

  it('writes its counts and speed with thousands separators, as every figure barwise prints', () => {
    // 123,456 steps in 10 s: 12,345.6 steps/s, shown whole.
    const p = makeProgress({ ticker_days_planned: 1_234_567, ticker_days: 2_469, tickerDaysDone: 2_469, steps: 123_456, stepsDone: 123_456, signals: 45_678, failures: 1_001, elapsedMs: 10_000 });
    expect(formatProgressLine(p, null, 300, 1_200)).to.include('| 2,469/1,234,567 ticker-days | 12,346 steps/s | 45,678 signals | 1,001 failed | 1,200 workers |');
  });

  it('shows the queue workers connected on a run over the queue, and nothing of them on a local run', () => {
    const p = makeProgress({ ticker_days: 40, tickerDaysDone: 40, steps: 2000, stepsDone: 2000, elapsedMs: 10_000 });
    expect(formatProgressLine(p, null, 200)).not.to.include('worker');
    expect(formatProgressLine(p, null, 200, 3)).to.include('| 0 failed | 3 workers | ETA 15s');
    expect(formatProgressLine(p, null, 200, 1)).to.include('| 1 worker |');
    expect(formatProgressLine(p, null, 200, 0)).to.include('| 0 workers |');
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

/**
 * A terminal screen for the view to write to: it applies the text and the control sequences a terminal
 * would (cursor to a column, clear the line or below, cursor up, new lines, wrapping at the right edge), so
 * the tests read what a user would see, whatever sequences the drawing library chooses.
 */
function makeScreen(columns = 120) {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let writes = 0;
  // Auto-wrap at the right edge (DECAWM, `ESC[?7h`/`ESC[?7l`); off, the rest of a line is lost at the edge.
  let wrap = true;
  const line = () => (rows[row] ??= []);
  const apply = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\x1b') {
        const m = /^\x1b(?:\[(\??)(\d*)([A-Za-z])|([78]))/.exec(text.slice(i));
        if (!m) throw new Error(`an escape sequence the screen does not know: ${JSON.stringify(text.slice(i, i + 8))}`);
        i += m[0].length - 1;
        const n = m[2] === '' ? undefined : Number(m[2]);
        if (m[1] === '?' && n === 7) wrap = m[3] === 'h';
        if (m[1] === '?' || m[4]) continue; // other modes (cursor shown) and cursor save/restore: not text
        if (m[3] === 'G') col = (n ?? 1) - 1;
        else if (m[3] === 'A') row = Math.max(0, row - (n ?? 1));
        else if (m[3] === 'B') row += n ?? 1;
        else if (m[3] === 'C') col += n ?? 1;
        else if (m[3] === 'D') col = Math.max(0, col - (n ?? 1));
        else if (m[3] === 'K') rows[row] = (n ?? 0) === 0 ? line().slice(0, col) : (n === 2 ? [] : line().map((ch, k) => (k <= col ? ' ' : ch)));
        else if (m[3] === 'J') rows.splice(row + 1), (rows[row] = line().slice(0, col));
        else throw new Error(`an escape sequence the screen does not know: ${m[0]}`);
      } else if (c === '\n') {
        row++;
        col = 0;
      } else if (c === '\r') {
        col = 0;
      } else {
        if (col >= columns && wrap) {
          row++;
          col = 0;
        }
        col = Math.min(col, columns - 1 + (wrap ? 1 : 0));
        const l = line();
        while (l.length < col) l.push(' ');
        l[col++] = c;
      }
    }
  };
  return {
    isTTY: true as const,
    columns,
    write: (t: string) => {
      writes++;
      apply(t);
      return true;
    },
    get wrapping() {
      return wrap;
    },
    get writes() {
      return writes;
    },
    /** The screen's lines, trailing spaces and empty last lines dropped. */
    lines(): string[] {
      const out = Array.from({ length: rows.length }, (_, k) => (rows[k] ?? []).join('').trimEnd());
      while (out.length > 0 && out[out.length - 1] === '') out.pop();
      return out;
    },
  };
}

const isBar = (l: string) => /[█░]|ticker-days|ETA /.test(l);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progress view (owns the terminal line)', () => {
  it('draws the line of formatProgressLine, cut to the terminal width, and never wraps', () => {
    const s = makeScreen(60);
    const view = createProgressView(true, s);
    const p = makeProgress({ stepsDone: 10, elapsedMs: 2000 });
    view.start('job 1/3 gaps');
    view.update(p);
    try {
      expect(s.lines()).to.deep.equal([formatProgressLine(p, 'job 1/3 gaps', 59)]);
      expect([...s.lines()[0]!].length).to.be.at.most(59);
    } finally {
      view.stop();
    }
  });

  it('draws the queue workers connected on the bar once they are known', () => {
    const s = makeScreen();
    const view = createProgressView(true, s);
    const p = makeProgress({ stepsDone: 10, elapsedMs: 2000 });
    view.start();
    view.update(p);
    view.setWorkers(2);
    // A notice draws the frame at once: the bar below it is the one with the workers.
    view.notice('barwise: x\n');
    try {
      expect(s.lines()).to.deep.equal(['barwise: x', formatProgressLine(p, null, 119, 2)]);
      expect(s.lines()[1]).to.include('2 workers');
    } finally {
      view.stop();
    }
  });

  it('prints a notice above the bar at once, with no fragment of the bar left in or around it', () => {
    const s = makeScreen();
    const view = createProgressView(true, s);
    view.start();
    view.update(makeProgress({ stepsDone: 10, elapsedMs: 2000 }));
    view.notice('barwise: something\n');
    view.notice('barwise: and more\n');
    try {
      const lines = s.lines();
      expect(lines.slice(0, 2)).to.deep.equal(['barwise: something', 'barwise: and more']);
      expect(lines).to.have.length(3);
      expect(lines[2]).to.match(/^█*░+ 0% \| 0\/100 ticker-days \|/);
    } finally {
      view.stop();
    }
  });

  it('a notice longer than the terminal is wide wraps whole, and the terminal keeps wrapping on', () => {
    const s = makeScreen(40);
    const view = createProgressView(true, s);
    const text = `barwise: ${'x'.repeat(50)} end`;
    view.start();
    view.update(makeProgress());
    view.notice(`${text}\n`);
    try {
      const lines = s.lines();
      expect(lines.slice(0, 2).join('')).to.equal(text);
      expect(lines).to.have.length(3);
      expect(isBar(lines[2]!)).to.equal(true);
    } finally {
      view.stop();
    }
    expect(s.wrapping).to.equal(true);
  });

  it('redraws at most 10 times a second however often the run reports', async () => {
    const s = makeScreen();
    const view = createProgressView(true, s);
    view.start();
    view.update(makeProgress());
    const first = s.writes;
    for (let i = 1; i <= 5000; i++) view.update(makeProgress({ stepsDone: i, elapsedMs: 2000 }));
    expect(s.writes, 'an update draws nothing by itself').to.equal(first);
    await sleep(350);
    view.update(makeProgress({ stepsDone: 2500, elapsedMs: 3000 }));
    const frames = s.writes - first;
    view.stop();
    // A frame is a few writes (column, text, clear to the right): 350 ms are at most 4 frames.
    expect(frames).to.be.above(0).and.at.most(4 * 4);
    expect(s.lines(), 'stop clears the bar').to.deep.equal([]);
  });

  it('stop clears the bar and start shows a new one in its place, one bar only', () => {
    const s = makeScreen();
    const view = createProgressView(true, s);
    view.start('1/2 full-day');
    view.update(makeProgress({ stepsDone: 5000, tickerDaysDone: 100, ticker_days: 100, steps: 5000, elapsedMs: 2000 }));
    view.stop();
    expect(s.lines()).to.deep.equal([]);
    view.notice('between\n');
    view.start('2/2 realtime');
    view.update(makeProgress());
    try {
      const lines = s.lines();
      expect(lines).to.have.length(2);
      expect(lines[0]).to.equal('between');
      expect(lines[1]).to.match(/^2\/2 realtime .* 0% /);
    } finally {
      view.stop();
    }
  });

  it('after close, the line is clear and nothing more is drawn, even if the run keeps reporting', async () => {
    const s = makeScreen();
    const view = createProgressView(true, s);
    view.start();
    view.update(makeProgress());
    view.close();
    expect(s.lines()).to.deep.equal([]);
    const n = s.writes;
    view.start('2/2 realtime');
    view.update(makeProgress({ stepsDone: 100, elapsedMs: 5000 }));
    await sleep(150);
    expect(s.writes).to.equal(n);
    view.notice('barwise: SIGINT received\n');
    expect(s.lines()).to.deep.equal(['barwise: SIGINT received']);
    expect(s.lines().some(isBar)).to.equal(false);
  });

  it('off a terminal (or disabled) writes notices only', () => {
    for (const [enabled, tty] of [[false, true], [true, false]] as const) {
      const writes: string[] = [];
      const view = createProgressView(enabled, { isTTY: tty, columns: 120, write: (t: string) => writes.push(t) });
      view.start();
      view.update(makeProgress({ stepsDone: 100, elapsedMs: 5000 }));
      view.notice('x\n');
      view.stop();
      expect(writes).to.deep.equal(['x\n']);
    }
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
