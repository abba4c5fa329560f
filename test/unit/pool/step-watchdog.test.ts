import { expect } from 'chai';
import { StepWatchdog } from '../../../src/pool/step-watchdog.js';
import { createProbe, ProbeWriter } from '../../../src/runtime/progress-probe.js';

describe('step watchdog', () => {
  it('fires once for a task whose step counter stops moving past the timeout, naming its day', () => {
    let now = 0;
    const dog = new StepWatchdog(1000, () => now);
    const probe = createProbe();
    const w = new ProbeWriter(probe);
    const fired: (string | null)[] = [];
    dog.watch(probe, (d) => fired.push(d));
    w.started();
    w.day('2025-11-03');
    for (let t = 0; t <= 3000; t += 250) {
      now = t;
      if (t < 1500) w.step(); // moving until 1.5 s, then stuck
      dog.check();
    }
    dog.stop();
    expect(fired).to.deep.equal(['2025-11-03']);
  });

  it('does not time a task that is still queued', () => {
    let now = 0;
    const dog = new StepWatchdog(100, () => now);
    const fired: unknown[] = [];
    dog.watch(createProbe(), (d) => fired.push(d));
    for (now = 0; now < 1000; now += 50) dog.check();
    dog.stop();
    expect(fired).to.deep.equal([]);
  });
});
