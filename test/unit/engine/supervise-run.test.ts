/**
 * The supervisor's policy over a fake runner (no threads): each test scripts how a worker behaves on each
 * ticker-day — answers, dies (before the task starts, or on a day), or hangs past the step timeout — and
 * checks what the supervisor records. The fake runs a task as a worker does: day by day over its window,
 * leaving out its skip dates, losing everything it did when its worker dies.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { BarwiseError, type ErrorData } from '../../../src/errors.js';
import { superviseRun, type SuperviseHooks, type SupervisePolicy } from '../../../src/engine/supervise-run.js';
import type { Runner, TaskOutcome } from '../../../src/pool/runner.js';
import type { DayOutcome, Task, TaskResult } from '../../../src/runtime/task-types.js';

/** What the fake worker does on one day: answer, die `times` times there, or hang (step timeout). */
type DayScript = { kind: 'ok' } | { kind: 'crash'; times: number } | { kind: 'hang' };

interface TaskScript {
  /** Times the task's worker dies before the task starts. */
  diesBeforeStart?: number;
  /** Days of the window, in order, and what happens on each (absent: answered). */
  days: string[];
  on?: Record<string, DayScript>;
  /** Answers with this result instead (e.g. the worker could not load the scanner). */
  answer?: TaskResult;
}

const POLICY: SupervisePolicy = { concurrency: 2, stepTimeoutMs: 1000, workerMemoryMb: 512, stuckLimit: 4, graceMs: 20, pollMs: 5, maxFailures: 0 };

function makeTask(ticker: string, days: string[]): Task {
  const fromDate = days[0];
  const toDate = days[days.length - 1];
  return { key: `${ticker}|${fromDate}|${toDate}`, ticker, fromDate, toDate };
}

function makeDay(date: string): DayOutcome {
  return { date, bars: 3, steps: 3, skipped: false, signals: [] };
}

/** A runner that plays the scripts, with an optional delay per run to vary the completion order. */
function makeFakeRunner(scripts: Map<string, TaskScript>, delayMs: (key: string) => number = () => 0) {
  const runs: Task[] = [];
  const deaths = new Map<string, number>();
  const crashes = new Map<string, number>();
  const runner: Runner & { runs: Task[]; stopRequests: number; aborts: number; stuck: number } = {
    threads: 2,
    runs,
    stopRequests: 0,
    aborts: 0,
    stuck: 0,
    run: async (task): Promise<TaskOutcome> => {
      runs.push(task);
      const delay = delayMs(task.key);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      else await Promise.resolve();
      const script = scripts.get(task.key)!;
      if ((deaths.get(task.key) ?? 0) < (script.diesBeforeStart ?? 0)) {
        deaths.set(task.key, (deaths.get(task.key) ?? 0) + 1);
        return { key: task.key, kind: 'crashed', date: null, started: false, error: { message: 'Terminating worker thread' } };
      }
      if (script.answer) return { key: task.key, kind: 'done', result: script.answer };
      const days: DayOutcome[] = [];
      for (const date of script.days) {
        if (task.skipDates?.includes(date)) continue;
        const on = script.on?.[date] ?? { kind: 'ok' };
        const crashKey = `${task.key}|${date}`;
        if (on.kind === 'crash' && (crashes.get(crashKey) ?? 0) < on.times) {
          crashes.set(crashKey, (crashes.get(crashKey) ?? 0) + 1);
          return { key: task.key, kind: 'crashed', date, started: true, error: { message: 'Worker exited with code 3' } };
        }
        if (on.kind === 'hang') return { key: task.key, kind: 'timeout', date };
        days.push(makeDay(date));
      }
      return { key: task.key, kind: 'done', result: { ok: true, days } };
    },
    requestStop: () => {
      runner.stopRequests++;
    },
    abort: () => {
      runner.aborts++;
    },
    countStuck: () => runner.stuck,
    close: async () => 0,
  };
  return runner;
}

/** Hooks that keep what was recorded, in the shape the results database gets it. */
function makeRecorder(overrides: Partial<SuperviseHooks> = {}) {
  const days: string[] = [];
  const failures: { key: string; ticker: string; date: string | null; code: string; message: string }[] = [];
  let ended = 0;
  const hooks: SuperviseHooks = {
    record: (task, res) => {
      if (!res.ok) failures.push({ key: task.key, ticker: task.ticker, date: null, ...res.error });
      else for (const d of res.days) days.push(`${task.ticker}|${d.date}`);
    },
    recordLost: (task, date, error: ErrorData) => {
      failures.push({ key: task.key, ticker: task.ticker, date, ...error });
    },
    onTaskEnd: () => {
      ended++;
    },
    checkInputs: () => null,
    flush: () => {},
    stuckError: (n) => new BarwiseError('WORKER_STUCK', `${n} stuck`),
    failureLimitError: (first, n) => new BarwiseError('TOO_MANY_FAILURES', `${n} alike, first ${first.ticker} ${first.date}: ${first.error.message}`),
    ...overrides,
  };
  return { hooks, days, failures, ended: () => ended };
}

const WEEK = ['2025-11-03', '2025-11-04', '2025-11-05'];

describe('supervising a run (fake runner)', () => {
  it('records every answered task once and ends each', async () => {
    const tasks = [makeTask('AAA', WEEK), makeTask('BBB', WEEK)];
    const runner = makeFakeRunner(new Map(tasks.map((t) => [t.key, { days: WEEK }])));
    const rec = makeRecorder();
    const out = await superviseRun(runner, tasks, POLICY, rec.hooks);
    expect(out).to.deep.equal({ interrupted: false, fatal: null });
    expect(rec.days.sort()).to.deep.equal([...WEEK.map((d) => `AAA|${d}`), ...WEEK.map((d) => `BBB|${d}`)].sort());
    expect(rec.failures).to.deep.equal([]);
    expect(rec.ended()).to.equal(2);
    expect(runner.runs).to.have.length(2);
  });

  it('runs again, without counting a crash, a task whose worker died before it started', async () => {
    const task = makeTask('AAA', WEEK);
    const runner = makeFakeRunner(new Map([[task.key, { days: WEEK, diesBeforeStart: 3 }]]));
    const rec = makeRecorder();
    await superviseRun(runner, [task], POLICY, rec.hooks);
    expect(runner.runs).to.have.length(4);
    expect(rec.days).to.deep.equal(WEEK.map((d) => `AAA|${d}`));
    expect(rec.failures).to.deep.equal([]);
  });

  it('ends in WORKER_CRASHED for its window a task whose worker always dies before it starts', async () => {
    const task = makeTask('AAA', WEEK);
    const runner = makeFakeRunner(new Map([[task.key, { days: WEEK, diesBeforeStart: Infinity }]]));
    const rec = makeRecorder();
    const out = await superviseRun(runner, [task], POLICY, rec.hooks);
    // 3 requeues, then a crash of the window retried once.
    expect(runner.runs).to.have.length(5);
    expect(rec.days).to.deep.equal([]);
    expect(rec.failures).to.have.length(1);
    expect(rec.failures[0]).to.include({ ticker: 'AAA', date: null, code: 'WORKER_CRASHED' });
    expect(rec.ended()).to.equal(1);
    expect(out.fatal).to.equal(null);
  });

  it('retries a ticker-day whose worker died once, and records nothing failed', async () => {
    const task = makeTask('AAA', WEEK);
    const runner = makeFakeRunner(new Map([[task.key, { days: WEEK, on: { '2025-11-04': { kind: 'crash', times: 1 } } }]]));
    const rec = makeRecorder();
    await superviseRun(runner, [task], POLICY, rec.hooks);
    expect(runner.runs).to.have.length(2);
    expect(rec.days).to.deep.equal(WEEK.map((d) => `AAA|${d}`));
    expect(rec.failures).to.deep.equal([]);
  });

  it('records WORKER_CRASHED for a ticker-day whose worker died twice, and runs the task again without it', async () => {
    const task = makeTask('AAA', WEEK);
    const runner = makeFakeRunner(new Map([[task.key, { days: WEEK, on: { '2025-11-04': { kind: 'crash', times: 99 } } }]]));
    const rec = makeRecorder();
    await superviseRun(runner, [task], POLICY, rec.hooks);
    expect(runner.runs.map((t) => t.skipDates ?? [])).to.deep.equal([[], [], ['2025-11-04']]);
    expect(rec.days).to.deep.equal(['AAA|2025-11-03', 'AAA|2025-11-05']);
    expect(rec.failures).to.have.length(1);
    expect(rec.failures[0]).to.include({ ticker: 'AAA', date: '2025-11-04', code: 'WORKER_CRASHED' });
    expect(rec.failures[0].message).to.match(/exit code 3.*scanners must return, not exit/);
    expect(rec.ended()).to.equal(1);
  });

  it('records SCANNER_TIMEOUT for a day past the step timeout, without retrying it, and runs the rest', async () => {
    const task = makeTask('AAA', WEEK);
    const runner = makeFakeRunner(new Map([[task.key, { days: WEEK, on: { '2025-11-03': { kind: 'hang' } } }]]));
    const rec = makeRecorder();
    await superviseRun(runner, [task], POLICY, rec.hooks);
    expect(runner.runs.map((t) => t.skipDates ?? [])).to.deep.equal([[], ['2025-11-03']]);
    expect(rec.days).to.deep.equal(['AAA|2025-11-04', 'AAA|2025-11-05']);
    expect(rec.failures).to.have.length(1);
    expect(rec.failures[0]).to.include({ date: '2025-11-03', code: 'SCANNER_TIMEOUT' });
    expect(rec.failures[0].message).to.include('(1 s)');
  });

  it('stops the run with WORKER_INIT when a worker could not load the scanner', async () => {
    const tasks = [makeTask('AAA', WEEK), makeTask('BBB', WEEK), makeTask('CCC', WEEK)];
    const answer: TaskResult = { ok: false, error: { code: 'WORKER_INIT', message: 'a worker could not load the scanner: boom' } };
    const runner = makeFakeRunner(new Map(tasks.map((t) => [t.key, { days: WEEK, answer }])));
    const rec = makeRecorder();
    const out = await superviseRun(runner, tasks, { ...POLICY, concurrency: 1 }, rec.hooks);
    expect(out.interrupted).to.equal(true);
    expect(out.fatal).to.be.instanceOf(BarwiseError).with.property('code', 'WORKER_INIT');
    expect(runner.runs).to.have.length(1);
    expect(rec.failures).to.deep.equal([]);
  });

  it('on a stop, asks running tasks for their finished days, runs no new task, and ends them after the grace period', async () => {
    const tasks = [makeTask('AAA', WEEK), makeTask('BBB', WEEK), makeTask('CCC', WEEK)];
    const ac = new AbortController();
    let finishAaa!: () => void;
    const runner = makeFakeRunner(new Map());
    runner.run = async (task) => {
      runner.runs.push(task);
      if (task.ticker === 'AAA') {
        // Hands back its first day when asked to stop (all its days if never asked).
        const asked = await new Promise<boolean>((r) => {
          finishAaa = () => r(true);
          setTimeout(() => r(false), 500);
        });
        const days = asked ? [makeDay(WEEK[0])] : WEEK.map(makeDay);
        return { key: task.key, kind: 'done', result: { ok: true, days, stopped: asked } };
      }
      // Does not answer the stop request: ended by abort(), its day lost.
      await new Promise<void>((r) => {
        const wait = setInterval(() => runner.aborts > 0 && (clearInterval(wait), r()), 1);
      });
      return { key: task.key, kind: 'crashed', date: WEEK[1], started: true, error: { message: 'The task has been aborted' } };
    };
    runner.requestStop = () => {
      runner.stopRequests++;
      finishAaa();
    };
    const rec = makeRecorder({ signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    const out = await superviseRun(runner, tasks, POLICY, rec.hooks);
    expect(out).to.deep.equal({ interrupted: true, fatal: null });
    expect(runner.stopRequests).to.equal(1);
    expect(runner.aborts).to.equal(1);
    expect(runner.runs.map((t) => t.ticker)).to.deep.equal(['AAA', 'BBB']);
    expect(rec.days).to.deep.equal([`AAA|${WEEK[0]}`]);
    // A worker ended by the stop is not a crash.
    expect(rec.failures).to.deep.equal([]);
  });

  it('does not count as a crash a worker ended by the stop, even on a day whose worker died before', async () => {
    const task = makeTask('AAA', WEEK);
    const ac = new AbortController();
    const runner = makeFakeRunner(new Map());
    runner.run = async (t) => {
      runner.runs.push(t);
      if (runner.runs.length === 1) return { key: t.key, kind: 'crashed', date: WEEK[1], started: true, error: { message: 'Worker exited with code 3' } };
      ac.abort();
      return { key: t.key, kind: 'crashed', date: WEEK[1], started: true, error: { message: 'The task has been aborted' } };
    };
    const rec = makeRecorder({ signal: ac.signal });
    const out = await superviseRun(runner, [task], POLICY, rec.hooks);
    expect(out).to.deep.equal({ interrupted: true, fatal: null });
    expect(runner.runs).to.have.length(2);
    expect(rec.failures).to.deep.equal([]);
  });

  it('runs no task once the caller had already asked to stop', async () => {
    const tasks = [makeTask('AAA', WEEK)];
    const runner = makeFakeRunner(new Map(tasks.map((t) => [t.key, { days: WEEK }])));
    const rec = makeRecorder({ signal: AbortSignal.abort() });
    const out = await superviseRun(runner, tasks, POLICY, rec.hooks);
    expect(out).to.deep.equal({ interrupted: true, fatal: null });
    expect(runner.runs).to.deep.equal([]);
  });

  for (const [name, overrides, code] of [
    ['as many stuck workers as the limit', (r: { stuck: number }) => { r.stuck = POLICY.stuckLimit; return {}; }, 'WORKER_STUCK'],
    ['a changed input', () => ({ checkInputs: () => new BarwiseError('DB_CHANGED', 'changed') }), 'DB_CHANGED'],
    ['a results flush that fails', () => ({ flush: () => { throw new BarwiseError('RESULTS_WRITE', 'disk full'); } }), 'RESULTS_WRITE'],
    ['a record that fails', () => ({ record: () => { throw new BarwiseError('RESULTS_WRITE', 'disk full'); } }), 'RESULTS_WRITE'],
  ] as const) {
    it(`stops the run on ${name} and starts no further task`, async () => {
      const tasks = [makeTask('AAA', WEEK), makeTask('BBB', WEEK), makeTask('CCC', WEEK), makeTask('DDD', WEEK)];
      // Slow enough that the periodic checks see the run while it goes.
      const runner = makeFakeRunner(new Map(tasks.map((t) => [t.key, { days: WEEK }])), () => 30);
      const rec = makeRecorder(overrides(runner) as Partial<SuperviseHooks>);
      const out = await superviseRun(runner, tasks, { ...POLICY, concurrency: 1 }, rec.hooks);
      expect(out.interrupted).to.equal(true);
      expect(out.fatal).to.be.instanceOf(BarwiseError).with.property('code', code);
      expect(runner.runs.length).to.be.lessThan(tasks.length);
      expect(runner.stopRequests).to.equal(1);
    });
  }

  it('records every ticker-day exactly once, whatever the outcomes and their order (property)', async () => {
    const dayScript = fc.oneof(
      { weight: 4, arbitrary: fc.constant<DayScript>({ kind: 'ok' }) },
      fc.integer({ min: 1, max: 3 }).map((times): DayScript => ({ kind: 'crash', times })),
      fc.constant<DayScript>({ kind: 'hang' }),
    );
    const taskScript = fc.record({
      ticker: fc.constantFrom('AAA', 'BBB', 'CCC'),
      window: fc.constantFrom(0, 1),
      diesBeforeStart: fc.integer({ min: 0, max: 6 }),
      on: fc.array(dayScript, { minLength: WEEK.length, maxLength: WEEK.length }),
      delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
    });
    const windows = [WEEK, ['2025-11-06', '2025-11-07']];
    await fc.assert(fc.asyncProperty(fc.uniqueArray(taskScript, { selector: (t) => `${t.ticker}${t.window}`, minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4 }), async (scripted, concurrency) => {
      const tasks = scripted.map((s) => makeTask(s.ticker, windows[s.window]));
      const scripts = new Map(scripted.map((s, i) => {
        const days = windows[s.window];
        return [tasks[i].key, { days, diesBeforeStart: s.diesBeforeStart, on: Object.fromEntries(days.map((d, k) => [d, s.on[k]])) }];
      }));
      const seen = new Map<string, number>();
      const delayOf = (key: string) => {
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        const d = scripted[tasks.findIndex((t) => t.key === key)].delays;
        return d[n % d.length];
      };
      const rec = makeRecorder();
      const out = await superviseRun(makeFakeRunner(scripts, delayOf), tasks, { ...POLICY, concurrency }, rec.hooks);
      expect(out).to.deep.equal({ interrupted: false, fatal: null });
      expect(rec.ended()).to.equal(tasks.length);

      // Expected, from the scripts alone: a task that dies before starting 5 times or more is lost as a window
      // (3 requeues, then a crash retried once); otherwise a day that hangs times out, one that kills its
      // worker twice or more is a crash, and every other day is answered.
      const expected = { days: [] as string[], failures: [] as string[] };
      scripted.forEach((s, i) => {
        if (s.diesBeforeStart >= 5) {
          expected.failures.push(`${s.ticker}|${tasks[i].fromDate}..${tasks[i].toDate}|WORKER_CRASHED`);
          return;
        }
        windows[s.window].forEach((d, k) => {
          const on = s.on[k];
          if (on.kind === 'hang') expected.failures.push(`${s.ticker}|${d}|SCANNER_TIMEOUT`);
          else if (on.kind === 'crash' && on.times >= 2) expected.failures.push(`${s.ticker}|${d}|WORKER_CRASHED`);
          else expected.days.push(`${s.ticker}|${d}`);
        });
      });
      const failures = rec.failures.map((f) => {
        const t = tasks.find((x) => x.key === f.key)!;
        return `${f.ticker}|${f.date ?? `${t.fromDate}..${t.toDate}`}|${f.code}`;
      });
      expect(rec.days.sort()).to.deep.equal(expected.days.sort());
      expect(failures.sort()).to.deep.equal(expected.failures.sort());
    }), { numRuns: 150 });
  });

  describe('identical failures (maxFailures)', () => {
    const thrown = (message: string, frame: string): ErrorData => ({
      code: 'SCANNER_THREW', message, stack: `TypeError: ${message}\n    at ${frame}\n    at replayDay (src/runtime/replay-day.js:52:20)`,
    });
    /** Tasks of one day each, whose day fails with `errorOf(ticker)` (null: answered). */
    const failingRun = (tickers: string[], errorOf: (ticker: string) => ErrorData | null) => {
      const tasks = tickers.map((t) => makeTask(t, ['2025-11-03']));
      const scripts = new Map(tasks.map((t) => {
        const error = errorOf(t.ticker);
        const day = { ...makeDay('2025-11-03'), ...(error ? { error } : {}) };
        return [t.key, { days: ['2025-11-03'], answer: { ok: true as const, days: [day] } }];
      }));
      return { tasks, runner: makeFakeRunner(scripts, () => 2) };
    };
    const TICKERS = Array.from({ length: 30 }, (_, i) => `T${String(i).padStart(2, '0')}`);

    it('stops the run at the N-th identical failure, naming the first, and starts no further task', async () => {
      const { tasks, runner } = failingRun(TICKERS, () => thrown("Cannot read properties of undefined (reading 'close')", 'scan (scanners/bad.js:7:18)'));
      const rec = makeRecorder();
      const out = await superviseRun(runner, tasks, { ...POLICY, concurrency: 1, maxFailures: 5 }, rec.hooks);
      expect(out.interrupted).to.equal(true);
      expect(out.fatal).to.be.instanceOf(BarwiseError).with.property('code', 'TOO_MANY_FAILURES');
      expect((out.fatal as Error).message).to.equal("5 alike, first T00 2025-11-03: Cannot read properties of undefined (reading 'close')");
      // Concurrency 1: the 5th failure is the 5th task; nothing after it was started.
      expect(runner.runs.map((t) => t.ticker)).to.deep.equal(TICKERS.slice(0, 5));
    });

    it('does not count as identical the same message thrown at another place, nor other messages', async () => {
      const { tasks, runner } = failingRun(TICKERS, (t) => {
        const k = Number(t.slice(1));
        return thrown(k % 3 === 0 ? 'bad value' : `bad value ${k}`, k % 2 === 0 ? 'scan (scanners/bad.js:7:18)' : 'scan (scanners/bad.js:9:3)');
      });
      const rec = makeRecorder();
      // Largest group: message "bad value" at one frame, every 6th ticker: 5 of 30, under the limit of 6.
      const out = await superviseRun(runner, tasks, { ...POLICY, maxFailures: 6 }, rec.hooks);
      expect(out).to.deep.equal({ interrupted: false, fatal: null });
      expect(runner.runs).to.have.length(TICKERS.length);
    });

    it('runs every ticker-day with maxFailures 0, however many fail alike', async () => {
      const { tasks, runner } = failingRun(TICKERS, () => thrown('always', 'scan (scanners/bad.js:1:1)'));
      const rec = makeRecorder();
      const out = await superviseRun(runner, tasks, { ...POLICY, maxFailures: 0 }, rec.hooks);
      expect(out).to.deep.equal({ interrupted: false, fatal: null });
      expect(runner.runs).to.have.length(TICKERS.length);
    });

    it('counts identical failures of days whose worker died (timeouts) too', async () => {
      const tasks = TICKERS.slice(0, 10).map((t) => makeTask(t, ['2025-11-03']));
      const runner = makeFakeRunner(new Map(tasks.map((t) => [t.key, { days: ['2025-11-03'], on: { '2025-11-03': { kind: 'hang' as const } } }])), () => 2);
      const rec = makeRecorder();
      const out = await superviseRun(runner, tasks, { ...POLICY, concurrency: 1, maxFailures: 3 }, rec.hooks);
      expect(out.fatal).to.be.instanceOf(BarwiseError).with.property('code', 'TOO_MANY_FAILURES');
      expect(rec.failures.map((f) => f.code)).to.deep.equal(['SCANNER_TIMEOUT', 'SCANNER_TIMEOUT', 'SCANNER_TIMEOUT']);
    });
  });
});
