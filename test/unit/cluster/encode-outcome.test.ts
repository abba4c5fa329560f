import { expect } from 'chai';
import { decodeOutcomes, encodeOutcomes } from '../../../src/cluster/encode-outcome.js';
import type { TaskOutcome } from '../../../src/pool/runner.js';
import { decodeDayCandidates, encodeDayCandidates } from '../../../src/portfolio/candidate-bytes.js';
import { recordsOf, simulatedDay } from '../../helpers/candidates.js';

describe('cluster: task outcomes as JSON text', () => {
  it('carries a day\'s price path and candidates (bytes, views into larger buffers) exactly', () => {
    const prices = new Uint8Array([0, 1, 2, 254, 255, 128, 7]);
    const records = recordsOf(simulatedDay()).map((c) => ({ ...c, entry_price: 0.1 + 0.2, mae_pct: -0 }));
    const encoded = encodeDayCandidates(records);
    // As a worker may hand them over: a view into a larger buffer, bytes on either side not its own.
    const padded = new Uint8Array(encoded.length + 6).fill(9);
    padded.set(encoded, 3);
    const outcome: TaskOutcome = {
      key: 'AAA|2025-11-03|2025-11-05', kind: 'done',
      result: { ok: true, days: [{ date: '2025-11-03', bars: 3, steps: 2, skipped: false, signals: [], prices: prices.subarray(1, 6), span: [1, 2],
        candidates: padded.subarray(3, 3 + encoded.length) }] },
    };
    const [back] = decodeOutcomes(encodeOutcomes([outcome])) as Extract<TaskOutcome, { kind: 'done' }>[];
    const day = (back.result as { ok: true; days: any[] }).days[0];
    expect(day.prices).to.be.instanceOf(Uint8Array);
    expect([...day.prices]).to.deep.equal([1, 2, 254, 255, 128]);
    expect(day.candidates).to.be.instanceOf(Uint8Array);
    expect([...day.candidates]).to.deep.equal([...encoded]);
    const got = decodeDayCandidates(day.candidates);
    expect(got.map((c) => c.entry_price)).to.deep.equal(records.map(() => 0.30000000000000004));
    expect(got.map((c) => c.signal_ts)).to.deep.equal(records.map((c) => c.signal_ts));
    expect(day.span).to.deep.equal([1, 2]);
  });

  it('restores tagged values at any depth, and a metric named like an object\'s own machinery', () => {
    // A scanner names its metrics: `__proto__` and `$bytes` are column names like any other.
    const metrics = JSON.parse('{"__proto__": -0, "$bytes": 1, "ratio": null, "deep": {"$number": 2, "x": [1, "NaN"]}}');
    metrics.ratio = Number.NaN;
    const signal = { ticker: 'AAA', signal_date: '2025-11-03', signal_time: '10:00:00', timestamp: 1, seq: 0, direction: 'LONG', pattern_strength: Infinity, metrics };
    const outcome = { key: 'AAA|2025-11-03|2025-11-03', kind: 'done', result: { ok: true, days: [{ date: '2025-11-03', bars: 1, steps: 1, skipped: false, signals: [signal] }] } } as unknown as TaskOutcome;
    const [back] = decodeOutcomes(encodeOutcomes([outcome])) as any[];
    const got = back.result.days[0].signals[0];
    expect(got.pattern_strength).to.equal(Infinity);
    expect(Object.keys(got.metrics)).to.deep.equal(['__proto__', '$bytes', 'ratio', 'deep']);
    expect(Object.getPrototypeOf(got.metrics), 'the metric is an own value, not the object\'s prototype').to.equal(Object.prototype);
    expect(Object.is(Object.getOwnPropertyDescriptor(got.metrics, '__proto__')!.value, -0)).to.equal(true);
    expect(got.metrics.$bytes).to.equal(1);
    expect(Number.isNaN(got.metrics.ratio)).to.equal(true);
    expect(got.metrics.deep).to.deep.equal({ $number: 2, x: [1, 'NaN'] });
  });

  it('keeps crash outcomes as they were', () => {
    const crashed: TaskOutcome = { key: 'K', kind: 'crashed', date: '2025-11-04', started: true, error: { message: 'worker exited with code 1', code: 'ERR_WORKER' } };
    expect(decodeOutcomes(encodeOutcomes([crashed, crashed]))).to.deep.equal([crashed, crashed]);
  });
});
