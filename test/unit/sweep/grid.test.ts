/**
 * Sweep grids: lists and decimal-exact ranges, typed as the parameter is declared, the cartesian product in
 * order, seeded random samples; and every malformed grid refused with a message naming the parameter.
 */
import { expect } from 'chai';
import { BarwiseError } from '../../../src/errors.js';
import { buildGrid } from '../../../src/sweep/build-grid.js';
import { parseParamSpec, type SweepParamType } from '../../../src/sweep/parse-param-spec.js';
import { rankCombinations } from '../../../src/sweep/rank-combinations.js';

const DECLARED = new Map<string, SweepParamType>([['or_bars', 'integer'], ['vol_mult', 'number'], ['side', 'string'], ['strict', 'boolean']]);
const parse = (text: string) => parseParamSpec(text, DECLARED);

function refusal(fn: () => unknown): BarwiseError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(BarwiseError);
    expect((err as BarwiseError).code).to.equal('USAGE');
    return err as BarwiseError;
  }
  throw new Error('expected a refusal');
}

describe('sweep: parameter grids', () => {
  describe('values', () => {
    it('steps a range in exact decimals: 1.5..3:0.5 is 1.5, 2, 2.5, 3', () => {
      expect(parse('vol_mult=1.5..3:0.5').values).to.deep.equal([1.5, 2, 2.5, 3]);
    });

    it('does not drift where binary floating point would: 0.1..0.7:0.1 ends exactly at 0.7', () => {
      const values = parse('vol_mult=0.1..0.7:0.1').values;
      expect(values).to.deep.equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
      // The naive loop gives 0.30000000000000004 and misses 0.7.
      const naive: number[] = [];
      for (let v = 0.1; v <= 0.7; v += 0.1) naive.push(v);
      expect(naive).to.not.deep.equal(values);
    });

    it('stops a range at the last step not above its end', () => {
      expect(parse('or_bars=3..12:4').values).to.deep.equal([3, 7, 11]);
    });

    it('parses lists as the declared type', () => {
      expect(parse('or_bars=3,6,12').values).to.deep.equal([3, 6, 12]);
      expect(parse('vol_mult=1.5, 2').values).to.deep.equal([1.5, 2]);
      expect(parse('side=long,short').values).to.deep.equal(['long', 'short']);
      expect(parse('strict=true,false').values).to.deep.equal([true, false]);
    });

    it('types trade rules from the option table', () => {
      expect(parse('trade.stopPct=0.5..1.5:0.5').values).to.deep.equal([0.5, 1, 1.5]);
      expect(parse('trade.maxBars=6,12').values).to.deep.equal([6, 12]);
      expect(parse('trade.entry=next-open,signal-close').values).to.deep.equal(['next-open', 'signal-close']);
    });
  });

  describe('refusals name the parameter', () => {
    it('an undeclared parameter, naming the declared ones and the closest', () => {
      const err = refusal(() => parse('vol_mul=2'));
      expect(err.message).to.equal('--param vol_mul: the scanner declares no parameter vol_mul; did you mean vol_mult?');
      expect(err.hint).to.include('or_bars, vol_mult, side, strict');
    });

    it('a parameter of a scanner that declares none', () => {
      const err = refusal(() => parseParamSpec('vol_mult=2', new Map()));
      expect(err.message).to.include('the scanner declares no parameter vol_mult');
      expect(err.hint).to.include('declares none');
    });

    it('a trade rule that does not exist', () => {
      expect(refusal(() => parse('trade.stopPtc=1')).message).to.equal('--param trade.stopPtc: stopPtc is not a trade rule; did you mean trade.stopPct?');
    });

    it('a value of the wrong type', () => {
      expect(refusal(() => parse('or_bars=3,six')).message).to.equal('--param or_bars takes whole numbers, got "six"');
      expect(refusal(() => parse('or_bars=2.5')).message).to.equal('--param or_bars takes whole numbers, got 2.5');
      expect(refusal(() => parse('strict=yes')).message).to.equal('--param strict takes true or false, got "yes"');
      expect(refusal(() => parse('or_bars=1..2:0.5')).message).to.include('or_bars takes whole numbers, and this range steps through fractions');
      expect(refusal(() => parse('side=1..3:1')).message).to.include('a range needs a numeric parameter');
    });

    it('a trade rule value outside its bounds', () => {
      expect(refusal(() => parse('trade.stopPct=0,1')).message).to.equal('--param trade.stopPct must be a number above 0 and below 100, got 0');
      expect(refusal(() => parse('trade.entry=open')).message).to.include('--param trade.entry must be one of next-open, signal-close');
    });

    it('an empty value list, or an empty item in it', () => {
      expect(refusal(() => parse('vol_mult=')).message).to.equal('--param vol_mult has no values');
      expect(refusal(() => parse('vol_mult=1,,2')).message).to.equal('--param vol_mult has an empty value in its list');
    });

    it('an empty range (low end above the high end)', () => {
      const err = refusal(() => parse('vol_mult=3..1.5:0.5'));
      expect(err.message).to.equal('--param vol_mult=3..1.5:0.5: the range is empty (3 is above 1.5)');
      expect(err.hint).to.include('vol_mult=1.5..3:0.5');
    });

    it('a range with step 0 (or below)', () => {
      expect(refusal(() => parse('vol_mult=1..3:0')).message).to.equal('--param vol_mult=1..3:0: the step must be above 0, got 0');
      expect(refusal(() => parse('vol_mult=1..3:-1')).message).to.include('the step must be above 0');
    });

    it('a malformed range, a missing "=", a repeated value', () => {
      expect(refusal(() => parse('vol_mult=1..3')).message).to.equal('--param vol_mult=1..3 is not a range');
      expect(refusal(() => parse('vol_mult')).message).to.equal('--param vol_mult is not name=values');
      expect(refusal(() => parse('vol_mult=2,2.0')).message).to.equal('--param vol_mult lists 2 twice');
    });

    it('a range with more values than a sweep takes', () => {
      expect(refusal(() => parse('vol_mult=0..1000:0.001')).message).to.include('more than 10000');
    });
  });

  describe('combinations', () => {
    it('is the cartesian product, the first parameter varying slowest', () => {
      const grid = buildGrid([parse('or_bars=3,6'), parse('vol_mult=1.5..2:0.5'), parse('trade.targetPct=1')]);
      expect(grid.map((c) => c.values)).to.deep.equal([
        { or_bars: 3, vol_mult: 1.5, 'trade.targetPct': 1 }, { or_bars: 3, vol_mult: 2, 'trade.targetPct': 1 },
        { or_bars: 6, vol_mult: 1.5, 'trade.targetPct': 1 }, { or_bars: 6, vol_mult: 2, 'trade.targetPct': 1 },
      ]);
      expect(grid.map((c) => c.index)).to.deep.equal([0, 1, 2, 3]);
    });

    it('samples N distinct combinations of the grid, the same for the same seed, in grid order', () => {
      const specs = [parse('or_bars=1..20:1'), parse('vol_mult=1..3:0.25')]; // 20 × 9 = 180 points
      const key = (v: Record<string, unknown>) => `${v.or_bars}|${v.vol_mult}`;
      const all = buildGrid(specs).map((c) => key(c.values));
      const a = buildGrid(specs, { samples: 16, seed: 7 }).map((c) => key(c.values));
      expect(buildGrid(specs, { samples: 16, seed: 7 }).map((c) => key(c.values))).to.deep.equal(a);
      expect(new Set(a).size).to.equal(16);
      const positions = a.map((k) => all.indexOf(k));
      expect(positions.every((p) => p >= 0)).to.equal(true);
      expect(positions).to.deep.equal([...positions].sort((x, y) => x - y));
      expect(buildGrid(specs, { samples: 16, seed: 8 }).map((c) => key(c.values))).to.not.deep.equal(a);
    });

    it('samples most of a grid by shuffling, and all of it when N reaches its size', () => {
      const specs = [parse('or_bars=1..10:1')];
      const most = buildGrid(specs, { samples: 9, seed: 3 }).map((c) => c.values.or_bars);
      expect(new Set(most).size).to.equal(9);
      expect(buildGrid(specs, { samples: 50, seed: 3 }).map((c) => c.values.or_bars)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('refuses no parameters, one given twice, and a grid too large to run whole', () => {
      expect(refusal(() => buildGrid([])).message).to.equal('a sweep needs at least one --param');
      expect(refusal(() => buildGrid([parse('or_bars=1'), parse('or_bars=2')])).message).to.equal('--param or_bars is given twice');
      const err = refusal(() => buildGrid([parse('or_bars=1..200:1'), parse('vol_mult=1..100:1')]));
      expect(err.message).to.equal('the grid has 20000 combinations, more than 10000');
      expect(err.hint).to.include('--samples');
    });
  });

  describe('ranking', () => {
    it('orders by the objective, highest first, ties in sweep order; no value after a value; under --min-trades last', () => {
      const items = [
        { index: 0, objective: 1.2, belowMinTrades: false },
        { index: 1, objective: null, belowMinTrades: false },
        { index: 2, objective: 3.5, belowMinTrades: true },
        { index: 3, objective: 1.2, belowMinTrades: false },
        { index: 4, objective: 2, belowMinTrades: false },
        { index: 5, objective: -1, belowMinTrades: true },
        { index: 6, objective: null, belowMinTrades: true },
      ];
      expect(rankCombinations(items)).to.deep.equal([4, 0, 3, 1, 2, 5, 6]);
      // A total order: the input's order does not show.
      expect(rankCombinations([...items].reverse())).to.deep.equal([4, 0, 3, 1, 2, 5, 6]);
    });
  });
});
