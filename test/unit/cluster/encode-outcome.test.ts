import { expect } from 'chai';
import { decodeOutcomes, encodeOutcomes } from '../../../src/cluster/encode-outcome.js';
import type { TaskOutcome } from '../../../src/pool/runner.js';

describe('cluster: task outcomes as JSON text', () => {
  it('carries price paths (Uint8Array) and numbers JSON cannot spell back exactly', () => {
    const prices = new Uint8Array([0, 1, 2, 254, 255, 128, 7]);
    const outcome: TaskOutcome = {
      key: 'AAA|2025-11-03|2025-11-05', kind: 'done',
      result: { ok: true, days: [{ date: '2025-11-03', bars: 3, steps: 2, skipped: false, signals: [], prices: prices.subarray(1, 6), span: [1, 2],
        candidates: [{ odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0.1 + 0.2] } as never] }] },
    };
    const [back] = decodeOutcomes(encodeOutcomes([outcome])) as Extract<TaskOutcome, { kind: 'done' }>[];
    const day = (back.result as { ok: true; days: any[] }).days[0];
    expect(day.prices).to.be.instanceOf(Uint8Array);
    expect([...day.prices]).to.deep.equal([1, 2, 254, 255, 128]);
    const odd = day.candidates[0].odd as number[];
    expect(Number.isNaN(odd[0])).to.equal(true);
    expect(odd[1]).to.equal(Infinity);
    expect(odd[2]).to.equal(-Infinity);
    expect(Object.is(odd[3], -0)).to.equal(true);
    expect(odd[4]).to.equal(0.30000000000000004);
    expect(day.span).to.deep.equal([1, 2]);
  });

  it('keeps crash outcomes as they were', () => {
    const crashed: TaskOutcome = { key: 'K', kind: 'crashed', date: '2025-11-04', started: true, error: { message: 'worker exited with code 1', code: 'ERR_WORKER' } };
    expect(decodeOutcomes(encodeOutcomes([crashed, crashed]))).to.deep.equal([crashed, crashed]);
  });
});
