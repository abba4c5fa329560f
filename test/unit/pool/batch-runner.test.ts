/**
 * The batching runner over a fake worker call (no threads): the worker side is the real runTaskBatch over a
 * scripted task function that moves each task's probe as a worker does, posting each result as the worker
 * posts it on the batch's port, and can die on a day (the call rejects, as Piscina does when a worker dies),
 * before its first task, or hang in a step (until the watchdog aborts the call). Each test checks the
 * outcomes against what each task would have answered alone.
 */
import { expect } from 'chai';
import { createBatchRunner } from '../../../src/pool/batch-runner.js';
import type { TaskOutcome } from '../../../src/pool/runner.js';
import { ProbeWriter } from '../../../src/runtime/progress-probe.js';
import { runTaskBatch } from '../../../src/runtime/run-task-batch.js';
import type { BatchAnswer, Task, TaskResult } from '../../../src/runtime/task-types.js';

const DAYS = ['2025-11-03', '2025-11-04', '2025-11-05'];

type Script = Record<string, { crashOn?: string; crashTimes?: number; hangOn?: string; dieAfter?: boolean; dieBefore?: boolean; fails?: boolean }>;

function makeTasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => {
    const ticker = `T${String(i).padStart(3, '0')}`;
    return { key: `${ticker}|${DAYS[0]}|${DAYS[2]}`, ticker, fromDate: DAYS[0], toDate: DAYS[2] };
  });
}

function startFake(script: Script = {}, watchdogMs = 10_000, onHang?: (ticker: string) => void) {
  const calls: string[][] = [];
  /** What the main thread saw, in order: `answered TICKER` as each outcome resolved, `settled TICKER,…` as each call did. */
  const seen: string[] = [];
  const crashes = new Map<string, number>();
  const runTask = async (task: Task): Promise<TaskResult> => {
    const probe = new ProbeWriter(task.probe);
    probe.started();
    const s = script[task.ticker] ?? {};
    const days = [];
    for (const date of DAYS) {
      if (probe.stopRequested()) return { ok: true, days, stopped: true };
      probe.day(date);
      probe.step();
      if (s.crashOn === date && (crashes.get(task.key) ?? 0) < (s.crashTimes ?? Infinity)) {
        crashes.set(task.key, (crashes.get(task.key) ?? 0) + 1);
        throw new Error('worker died');
      }
      if (s.hangOn === date) {
        onHang?.(task.ticker);
        await new Promise(() => {});
      }
      if (s.fails) days.push({ date, bars: 1, steps: 1, skipped: false, signals: [], error: { code: 'SCANNER_THREW' as const, message: 'broken' } });
      else days.push({ date, bars: 1, steps: 1, skipped: false, signals: [{ ticker: task.ticker, date } as never] });
      probe.dayDone();
    }
    return { ok: true, days };
  };
  const batchRunner = createBatchRunner({
    threads: 2,
    watchdogMs,
    countStuck: () => 0,
    close: async () => 0,
    runBatch: (tasks, signal, onResult) => new Promise<BatchAnswer>((resolve, reject) => {
      calls.push(tasks.map((t) => t.ticker));
      signal.addEventListener('abort', () => reject(new Error('Terminating worker thread')));
      // A worker that dies before the call's first task starts.
      if (tasks.some((t) => script[t.ticker]?.dieBefore)) return reject(new Error('worker died before its batch'));
      runTaskBatch(runTask, { tasks }, onResult).then(async (answer) => {
        // A worker that dies after its last task answered, before the call's answer is posted.
        if (tasks.some((t) => script[t.ticker]?.dieAfter)) reject(new Error('worker died between tasks'));
        else resolve(answer);
      }, reject);
    }).finally(() => seen.push(`settled ${tasks.map((t) => t.ticker).join(',')}`)),
  });
  const runner = {
    ...batchRunner,
    run: (task: Task) => batchRunner.run(task).then((out) => {
      seen.push(`answered ${task.ticker}`);
      return out;
    }),
  };
  return { runner, calls, seen };
}

/** What a task answers alone: its three days, each with one signal naming it. */
function expectAllDays(out: TaskOutcome, ticker: string) {
  expect(out.kind, `${ticker}: ${JSON.stringify(out)}`).to.equal('done');
  if (out.kind !== 'done' || !out.result.ok) throw new Error('not done');
  expect(out.result.days.map((d) => d.date)).to.deep.equal(DAYS);
  expect(out.result.days.flatMap((d) => d.signals.map((s) => (s as { ticker: string }).ticker))).to.deep.equal([ticker, ticker, ticker]);
}

describe('batch runner (fake worker calls)', () => {
  it('answers every task once with its own result, in fewer worker calls than tasks', async () => {
    const { runner, calls } = startFake();
    const tasks = makeTasks(200);
    const outs = await Promise.all(tasks.map((t) => runner.run(t)));
    outs.forEach((o, i) => {
      expect(o.key).to.equal(tasks[i].key);
      expectAllDays(o, tasks[i].ticker);
    });
    expect(calls.flat().sort()).to.deep.equal(tasks.map((t) => t.ticker));
    expect(calls.length).to.be.below(tasks.length / 4);
    await runner.close();
  });

  it('a worker dying inside a batch: the running task answers crashed on its day; its neighbours, finished or not, answer all their days', async () => {
    const { runner, calls, seen } = startFake({ T005: { crashOn: DAYS[1], crashTimes: 1 } });
    const tasks = makeTasks(40);
    // Handed over in two turns, so that T005 is in a batch with neighbours before and after it.
    const first = tasks.slice(0, 2).map((t) => runner.run(t));
    await Promise.all(first);
    const outs = await Promise.all(tasks.slice(2).map((t) => runner.run(t)));
    const crashedCall = calls.find((c) => c.includes('T005'))!;
    expect(crashedCall.length, 'T005 ran in a batch with others').to.be.above(1);
    for (const [i, o] of outs.entries()) {
      const t = tasks[i + 2];
      if (t.ticker === 'T005') {
        expect(o).to.deep.include({ kind: 'crashed', date: DAYS[1], started: true });
      } else expectAllDays(o, t.ticker);
    }
    // The neighbours that finished before it answered as they finished, before the call failed, and ran once.
    const before = crashedCall.slice(0, crashedCall.indexOf('T005'));
    expect(before.length, 'T005 ran after neighbours in its batch').to.be.above(0);
    const failedAt = seen.indexOf(`settled ${crashedCall.join(',')}`);
    for (const t of before) {
      expect(seen.indexOf(`answered ${t}`), t).to.be.within(0, failedAt - 1);
      expect(calls.flat().filter((x) => x === t), t).to.have.length(1);
    }
    // Retried (as the supervisor does), it runs alone and answers.
    const again = await runner.run(tasks[5]);
    expectAllDays(again, 'T005');
    expect(calls[calls.length - 1]).to.deep.equal(['T005']);
    await runner.close();
  });

  it('answers each task the moment the worker posts its result, not when the call ends', async () => {
    const { runner, calls, seen } = startFake();
    const tasks = makeTasks(40);
    await Promise.all(tasks.slice(0, 2).map((t) => runner.run(t)));
    seen.length = 0;
    await Promise.all(tasks.slice(2).map((t) => runner.run(t)));
    const batch = calls.find((c) => c.length > 2)!;
    // Every task of a batch answered before the batch's call settled.
    const settled = seen.indexOf(`settled ${batch.join(',')}`);
    for (const t of batch) expect(seen.indexOf(`answered ${t}`), t).to.be.within(0, settled - 1);
    await runner.close();
  });

  it('a failure posted inside a batch holds the worker until the main thread acted on it: a stop requested then reaches the batch\'s next tasks before they start', async () => {
    const { runner, calls } = startFake({ T005: { fails: true } });
    const tasks = makeTasks(40);
    await Promise.all(tasks.slice(0, 2).map((t) => runner.run(t)));
    // As the supervisor does at --max-failures: the stop is requested in the reaction to the failed task's answer.
    const outs = await Promise.all(tasks.slice(2).map((t) => runner.run(t).then((o) => {
      if (t.ticker === 'T005') runner.requestStop();
      return o;
    })));
    const failedCall = calls.find((c) => c.includes('T005'))!;
    const at = failedCall.indexOf('T005');
    expect(at, 'T005 ran after neighbours in its batch').to.be.above(0);
    expect(failedCall.length - at, 'T005 had neighbours after it').to.be.above(1);
    const outOf = (ticker: string) => outs[tasks.findIndex((t) => t.ticker === ticker) - 2];
    for (const t of failedCall.slice(0, at)) expectAllDays(outOf(t), t);
    const failed = outOf('T005');
    expect(failed.kind === 'done' && failed.result.ok && failed.result.days.map((d) => d.error?.code)).to.deep.equal(DAYS.map(() => 'SCANNER_THREW'));
    for (const t of failedCall.slice(at + 1)) expect(outOf(t), t).to.deep.include({ kind: 'done', result: { ok: true, days: [], stopped: true } });
    await runner.close();
  });

  it('a step hanging inside a batch: that task answers timeout on its day; the others answer all their days', async () => {
    const { runner } = startFake({ T003: { hangOn: DAYS[2] } }, 100);
    const tasks = makeTasks(12);
    const outs = await Promise.all(tasks.map((t) => runner.run(t)));
    for (const [i, o] of outs.entries()) {
      if (tasks[i].ticker === 'T003') expect(o).to.deep.equal({ key: tasks[i].key, kind: 'timeout', date: DAYS[2] });
      else expectAllDays(o, tasks[i].ticker);
    }
    await runner.close();
  });

  it('a worker dying after its batch\'s tasks answered: each task keeps the result it posted', async () => {
    const { runner, calls } = startFake({ T001: { dieAfter: true } });
    const outs = await Promise.all(makeTasks(2).map((t) => runner.run(t)));
    expect(calls.flat()).to.deep.equal(['T000', 'T001'], 'each ran once');
    for (const o of outs) expectAllDays(o, o.key.split('|')[0]);
    await runner.close();
  });

  it('a worker dying before any task of its batch starts: each task answers crashed, not started (re-run by the supervisor)', async () => {
    const { runner, calls } = startFake({ T001: { dieBefore: true } });
    const outs = await Promise.all(makeTasks(2).map((t) => runner.run(t)));
    const failedCall = calls.find((c) => c.includes('T001'))!;
    for (const o of outs) {
      const ticker = o.key.split('|')[0];
      if (failedCall.includes(ticker)) expect(o).to.deep.include({ kind: 'crashed', started: false });
      else expectAllDays(o, ticker);
    }
    await runner.close();
  });

  it('Ctrl-C, then a step timeout inside a batch: the tasks that finished before it keep their days; the hung one answers timeout', async () => {
    let stop: () => void = () => {};
    const { runner, calls } = startFake({ T005: { hangOn: DAYS[1] } }, 100, () => stop());
    stop = () => runner.requestStop();
    const tasks = makeTasks(40);
    // Handed over in two turns, so that T005 is in a batch after neighbours that finish before it hangs.
    await Promise.all(tasks.slice(0, 2).map((t) => runner.run(t)));
    const outs = await Promise.all(tasks.slice(2).map((t) => runner.run(t)));
    const hungCall = calls.find((c) => c.includes('T005'))!;
    const before = hungCall.slice(0, hungCall.indexOf('T005'));
    expect(before.length, 'T005 ran after neighbours in its batch').to.be.above(0);
    for (const [i, o] of outs.entries()) {
      const t = tasks[i + 2];
      if (t.ticker === 'T005') expect(o).to.deep.equal({ key: t.key, kind: 'timeout', date: DAYS[1] });
      // Finished before the stop: all three days, as alone.
      else if (before.includes(t.ticker)) expectAllDays(o, t.ticker);
      // Elsewhere: what each finished by the stop (its first days, in order), or, not started, nothing.
      else if (o.kind === 'done' && o.result.ok) {
        const n = o.result.days.length;
        expect(o.result.days.map((d) => d.date)).to.deep.equal(DAYS.slice(0, n));
        expect(o.result.days.flatMap((d) => d.signals.map((x) => (x as { ticker: string }).ticker))).to.deep.equal(Array(n).fill(t.ticker));
      } else expect(o, t.ticker).to.deep.include({ kind: 'crashed', started: false });
    }
    await runner.close();
  });

  it('a stop request reaches every task, queued or in a batch: each answers what it finished, stopped', async () => {
    const { runner } = startFake();
    const tasks = makeTasks(30);
    const pending = tasks.map((t) => runner.run(t));
    runner.requestStop();
    const outs = await Promise.all(pending);
    for (const o of outs) {
      expect(o.kind).to.equal('done');
      if (o.kind === 'done') expect(o.result).to.deep.equal({ ok: true, days: [], stopped: true });
    }
    await runner.close();
  });
});
