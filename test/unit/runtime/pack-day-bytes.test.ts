import { expect } from 'chai';
import { packDayBytes } from '../../../src/runtime/pack-day-bytes.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const day = (date: string, prices?: Uint8Array, candidates?: Uint8Array): DayOutcome =>
  ({ date, bars: 78, steps: 72, skipped: false, signals: [], ...(prices ? { prices } : {}), ...(candidates ? { candidates } : {}) });

describe('a task\'s bytes packed into one buffer before the result leaves the worker', () => {
  it('keeps every outcome\'s bytes as they were, as views of one buffer, shared bytes one view', () => {
    const path = bytes(1, 2, 3);
    // Candidates as encodeCandidateLists gives them: views into a larger buffer, at an offset.
    const lists = new Uint8Array([9, 9, 4, 5, 6, 7, 9]);
    const a = [day('2024-03-04', path, lists.subarray(2, 4)), day('2024-03-05')];
    const b = [day('2024-03-04', path, lists.subarray(4, 6)), day('2024-03-05', bytes(8), bytes(0))];
    const before = JSON.stringify([a, b], (_, v) => (v instanceof Uint8Array ? [...v] : v));
    packDayBytes([a, b]);
    expect(JSON.stringify([a, b], (_, v) => (v instanceof Uint8Array ? [...v] : v))).to.equal(before);
    const views = [a[0].prices, a[0].candidates, b[0].prices, b[0].candidates, b[1].prices, b[1].candidates] as Uint8Array[];
    expect(new Set(views.map((v) => v.buffer)).size).to.equal(1);
    expect(a[0].prices).to.equal(b[0].prices);
    expect(a[1]).to.not.have.property('prices');
    expect(a[1]).to.not.have.property('candidates');
    // Each distinct byte string once, each at a multiple of 8 bytes (candidates' float64s are read in place).
    expect(views[0].buffer.byteLength).to.equal(5 * 8);
    for (const v of views) expect(v.byteOffset % 8).to.equal(0);
  });

  it('crosses a structured clone as one buffer, each view reading its own bytes', () => {
    const days = [day('2024-03-04', bytes(1, 2), bytes(3)), day('2024-03-05', bytes(4), bytes(5, 6, 7))];
    packDayBytes([days]);
    const cloned = structuredClone(days);
    expect(new Set(cloned.flatMap((d) => [d.prices!.buffer, d.candidates!.buffer])).size).to.equal(1);
    expect(cloned.map((d) => [[...d.prices!], [...d.candidates!]])).to.deep.equal([[[1, 2], [3]], [[4], [5, 6, 7]]]);
  });

  it('leaves a task with one byte string or none as it is', () => {
    const only = bytes(1, 2);
    const days = [day('2024-03-04', only), day('2024-03-05')];
    packDayBytes([days]);
    expect(days[0].prices).to.equal(only);
  });
});
