import { expect } from 'chai';
import { createProbe, ProbeWriter, readProbe, readProgress } from '../../../src/runtime/progress-probe.js';

describe('the progress probe a task shares with the main thread', () => {
  it('shows the steps and finished days the worker wrote, for the progress line as for the watchdog', () => {
    const probe = createProbe();
    const w = new ProbeWriter(probe);
    expect(readProgress(probe)).to.deep.equal({ steps: 0, daysDone: 0 });
    w.started();
    w.day('2025-11-04');
    for (let i = 0; i < 7; i++) w.step();
    w.dayDone();
    w.day('2025-11-05');
    for (let i = 0; i < 3; i++) w.step();
    expect(readProgress(probe)).to.deep.equal({ steps: 10, daysDone: 1 });
    expect(readProbe(probe)).to.deep.equal({ started: true, finished: false, steps: 10, daysDone: 1, date: '2025-11-05' });
  });
});
