import { expect } from 'chai';
import { estimateSteps, formShards } from '../../../src/cluster/form-shards.js';
import type { Task } from '../../../src/runtime/task-types.js';

const task = (ticker: string, from: string, to: string): Task => ({ key: `${ticker}|${from}|${to}`, ticker, fromDate: from, toDate: to });

/** A plan of `n` tickers × 2 windows, with a cost per task that varies (seeded, so the test is fixed). */
function plan(n: number) {
  const tasks: Task[] = [];
  const cost = new Map<string, number>();
  let x = 7;
  for (let i = 0; i < n; i++) {
    for (const [f, t] of [['2025-11-03', '2025-11-14'], ['2025-11-15', '2025-11-28']]) {
      const k = task(`T${i}`, f, t);
      x = (x * 48271) % 2147483647;
      cost.set(k.key, 100 + (x % 5000));
      tasks.push(k);
    }
  }
  return { tasks, cost: (t: Task) => cost.get(t.key)! };
}

describe('cluster: tasks grouped into shards', () => {
  it('holds every task exactly once, whatever order the tasks come in', () => {
    const { tasks, cost } = plan(300);
    const a = formShards(tasks, cost, (t) => t.key, 50_000, 4);
    const b = formShards([...tasks].reverse(), cost, (t) => t.key, 50_000, 4);
    const keys = a.flatMap((s) => s.tasks.map((t) => t.key)).sort();
    expect(keys).to.deep.equal(tasks.map((t) => t.key).sort());
    expect(b.map((s) => s.key), 'the same shards and keys').to.deep.equal(a.map((s) => s.key));
    expect(b.map((s) => s.tasks.map((t) => t.key))).to.deep.equal(a.map((s) => s.tasks.map((t) => t.key)));
  });

  it('sizes shards to the target steps, costliest shard and costliest task first, of even cost', () => {
    const { tasks, cost } = plan(300);
    const total = tasks.reduce((s, t) => s + cost(t), 0);
    const shards = formShards(tasks, cost, (t) => t.key, 50_000, 4);
    expect(shards.length).to.equal(Math.ceil(total / 50_000));
    for (const s of shards) {
      expect(s.steps).to.equal(s.tasks.reduce((n, t) => n + cost(t), 0));
      const costs = s.tasks.map(cost);
      expect(costs, 'costliest first').to.deep.equal([...costs].sort((x, y) => y - x));
      // Dealt to the lightest shard: no shard exceeds another by more than its own largest task.
      expect(s.steps - Math.min(...shards.map((o) => o.steps))).to.be.at.most(Math.max(...costs));
    }
    const steps = shards.map((s) => s.steps);
    expect(steps).to.deep.equal([...steps].sort((x, y) => y - x));
  });

  it('splits a small run into the fewest shards for several workers, never more shards than tasks', () => {
    const { tasks, cost } = plan(4);
    expect(formShards(tasks, cost, (t) => t.key, 1e9, 4).map((s) => s.tasks.length)).to.deep.equal([2, 2, 2, 2]);
    expect(formShards(tasks.slice(0, 3), cost, (t) => t.key, 1e9, 4)).to.have.length(3);
    expect(formShards([], cost, (t) => t.key)).to.deep.equal([]);
  });

  it('gives other work (a task sent again) another shard key', () => {
    const { tasks, cost } = plan(2);
    const [a] = formShards(tasks, cost, (t) => t.key, 1e9, 1);
    const [b] = formShards(tasks, cost, (t) => `${t.key}\u00002`, 1e9, 1);
    expect(a.key).to.not.equal(b.key);
  });

  it('estimates a task\'s steps from its ticker\'s bars, pro rata to its calendar days', () => {
    const run = { from: '2025-11-01', to: '2025-11-30' };
    expect(estimateSteps(task('A', '2025-11-01', '2025-11-10'), 3000, run)).to.equal(1000);
    expect(estimateSteps(task('A', '2025-11-01', '2025-11-30'), 3000, run)).to.equal(3000);
  });
});
