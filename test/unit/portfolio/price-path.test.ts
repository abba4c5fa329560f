/**
 * The stored price path of a ticker-day comes back exactly: every bar end, close, high and low the same double
 * bit for bit, whatever the prices (a cent grid, sub-penny quotes, doubles on no decimal grid, non-finite
 * values), and compact for the quotes markets print.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { decodePricePath, encodePricePath, type PricePath } from '../../../src/portfolio/price-path.js';

const T0 = Date.UTC(2025, 10, 3, 14, 30);

function pathOf(from: number, ends: number[], bars: [number, number, number][]): PricePath {
  return {
    from,
    end: Float64Array.from(ends),
    close: Float64Array.from(bars.map((b) => b[0])),
    high: Float64Array.from(bars.map((b) => b[1])),
    low: Float64Array.from(bars.map((b) => b[2])),
  };
}

/** Same doubles, -0 and NaN included (chai's deep equality takes -0 for 0). */
function expectExact(back: PricePath, p: PricePath): void {
  expect(back.from).to.equal(p.from);
  for (const k of ['end', 'close', 'high', 'low'] as const) {
    expect(back[k].length, k).to.equal(p[k].length);
    p[k].forEach((x, i) => expect(Object.is(back[k][i], x), `${k}[${i}]: ${back[k][i]} for ${x}`).to.equal(true));
  }
}

/** Regular 5-minute bar ends, with now and then a gap (a missing bar, a halt). */
const endsArb = (n: number) => fc.array(fc.constantFrom(300_000, 300_000, 300_000, 600_000, 1), { minLength: n, maxLength: n })
  .map((steps) => steps.map((_, i) => T0 + steps.slice(0, i + 1).reduce((a, s) => a + s, 0)));

/** Prices k / 10^d on a grid of `decimals`, as a vendor's decimal text parses. */
const gridPrice = (decimals: number) => fc.integer({ min: 0, max: 5_000_000 }).map((k) => Number((k / 10 ** decimals).toFixed(decimals)));

const anyDouble = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom(-0, 0, Infinity, -Infinity, NaN, 1 / 3, 0.1 + 0.2, 2 ** 60, 5e-324),
);

const pathArb = (price: fc.Arbitrary<number>) => fc.integer({ min: 0, max: 120 }).chain((n) => fc.record({
  from: fc.nat({ max: 400 }),
  ends: endsArb(n),
  bars: fc.array(fc.tuple(price, price, price), { minLength: n, maxLength: n }),
}));

describe('portfolio: price paths', () => {
  it('round-trips cent, sub-penny and four-decimal quotes exactly', () => {
    fc.assert(fc.property(fc.constantFrom(0, 2, 3, 4).chain((d) => pathArb(gridPrice(d))), ({ from, ends, bars }) => {
      const p = pathOf(from, ends, bars);
      expectExact(decodePricePath(encodePricePath(p)), p);
    }), { numRuns: 500 });
  });

  it('round-trips any doubles exactly, off every decimal grid and non-finite ones included', () => {
    fc.assert(fc.property(pathArb(anyDouble), fc.boolean(), ({ from, ends, bars }, oddEnds) => {
      // Bar ends too can be anything a corrupted market gives: fractions of a millisecond, far beyond any date.
      const p = pathOf(from, oddEnds ? ends.map((t, i) => (i % 3 === 1 ? t + 0.5 : i % 3 === 2 ? 2 ** 60 : t)) : ends, bars);
      expectExact(decodePricePath(encodePricePath(p)), p);
    }), { numRuns: 500 });
  });

  it('round-trips one off-grid price among cent quotes (the whole path stays exact)', () => {
    const bars: [number, number, number][] = [[10.01, 10.05, 9.99], [10.02, 10.02 + 1e-9, 10], [10.03, 10.04, -0]];
    const p = pathOf(3, [T0, T0 + 300_000, T0 + 600_000], bars);
    expectExact(decodePricePath(encodePricePath(p)), p);
  });

  it('keeps a day of five-minute cent quotes in under 8 bytes a bar (32 as float64 marks)', () => {
    // A random walk of a $50 stock in cents, 78 bars: the size a real session takes.
    let c = 5000;
    const bars: [number, number, number][] = [];
    for (let i = 0; i < 78; i++) {
      c += ((i * 7919) % 41) - 20;
      bars.push([c / 100, (c + (i % 13)) / 100, (c - (i % 11)) / 100]);
    }
    const p = pathOf(0, bars.map((_, i) => T0 + i * 300_000), bars);
    const bytes = encodePricePath(p);
    expectExact(decodePricePath(bytes), p);
    expect(bytes.length / 78).to.be.below(8);
  });

  it('lays a cent path out byte for byte as stored: format, first bar, count, decimals, end runs, close deltas', () => {
    // Worked by hand from the layout in price-path.ts: zigzag z(x) = 2x (x >= 0) or -2x - 1, varints of 7 bits,
    // low first. Ends 1000 (z 2000 = 208 15), runs of step 300000 (z 600000 = 192 207 36) twice and 600000
    // (z 1200000 = 128 159 73) once; closes 150, 155, 150, 150 cents.
    const p = pathOf(3, [1000, 301_000, 601_000, 1_201_000], [[1.5, 1.6, 1.4], [1.55, 1.6, 1.5], [1.5, 1.5, 1.45], [1.5, 1.5, 1.5]]);
    expect([...encodePricePath(p)]).to.deep.equal([
      1, 3, 4, 2, 208, 15, 2, 192, 207, 36, 2, 128, 159, 73, 1,
      172, 2, 20, 20, // close 150 (z 300), high +10, low -10
      10, 10, 10, // close +5, high +5, low -5
      9, 0, 10, // close -5, high +0, low -5
      0, 0, 0,
    ]);
  });

  it('refuses a path that is cut short or has bytes after its last bar', () => {
    const p = pathOf(0, [T0, T0 + 300_000], [[1.5, 1.6, 1.4], [1.55, 1.6, 1.5]]);
    const bytes = encodePricePath(p);
    expect(() => decodePricePath(bytes.subarray(0, bytes.length - 1))).to.throw(/cut short/);
    expect(() => decodePricePath(Uint8Array.from([...bytes, 0]))).to.throw(/after its last bar/);
  });
});
