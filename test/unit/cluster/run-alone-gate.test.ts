/**
 * The gate inside a worker process: a shard marked `alone` runs with no other shard beside it, so a process
 * death while it runs is its own; other shards wait while it waits or runs.
 */
import { expect } from 'chai';
import { RunAloneGate } from '../../../src/cluster/run-alone-gate.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('RunAloneGate', () => {
  it('lets ordinary shards run side by side', async () => {
    const gate = new RunAloneGate();
    const a = await gate.enter(false);
    const b = await gate.enter(false);
    a();
    b();
  });

  it('starts an alone shard only once the shards running beside it ended, and holds back the ones taken meanwhile', async () => {
    const gate = new RunAloneGate();
    const events: string[] = [];
    const first = await gate.enter(false);
    const alone = gate.enter(true).then((leave) => {
      events.push('alone runs');
      return leave;
    });
    const later = gate.enter(false).then((leave) => {
      events.push('later runs');
      return leave;
    });
    await tick();
    expect(events, 'nothing starts while the first shard runs').to.deep.equal([]);
    first();
    const leaveAlone = await alone;
    await tick();
    expect(events, 'the shard taken after the alone one waits for it').to.deep.equal(['alone runs']);
    leaveAlone();
    (await later)();
    expect(events).to.deep.equal(['alone runs', 'later runs']);
  });

  it('runs two alone shards one after the other', async () => {
    const gate = new RunAloneGate();
    const order: string[] = [];
    const a = await gate.enter(true);
    const b = gate.enter(true).then((leave) => {
      order.push('b');
      return leave;
    });
    await tick();
    expect(order).to.deep.equal([]);
    a();
    (await b)();
    expect(order).to.deep.equal(['b']);
  });
});
