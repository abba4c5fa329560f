/**
 * The combinations a sweep runs: every point of the grid (the first `--param` varies slowest), or with
 * `--samples N --seed S` N distinct points drawn from that grid by a seeded generator, in grid order, so the
 * same flags always give the same combinations in the same order.
 */
import { BarwiseError } from '../errors.js';
import type { ParamSpec, SweepValue } from './parse-param-spec.js';

export interface Combination {
  /** Position in the sweep, from 0: the order of the ranking's ties, of the JSON output and of the run ids. */
  index: number;
  /** Every swept parameter's value, by name as written (`vol_mult`, `trade.stopPct`), in --param order. */
  values: Record<string, SweepValue>;
}

/** Combinations a sweep runs at most: each is a run in the results database. */
export const MAX_COMBINATIONS = 10_000;

export interface Sampling {
  samples: number;
  seed: number;
}

export function buildGrid(specs: readonly ParamSpec[], sampling?: Sampling): Combination[] {
  if (specs.length === 0) throw new BarwiseError('USAGE', 'a sweep needs at least one --param', 'E.g. --param vol_mult=1.5..3:0.5 --param trade.targetPct=1,2.');
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new BarwiseError('USAGE', `--param ${s.name} is given twice`, `Give all its values in one --param, e.g. ${s.name}=1,2,3.`);
    names.add(s.name);
  }
  const total = specs.reduce((n, s) => n * s.values.length, 1);
  let points: number[];
  if (sampling) {
    points = samplePoints(total, sampling);
  } else {
    if (total > MAX_COMBINATIONS) {
      throw new BarwiseError('USAGE', `the grid has ${total} combinations, more than ${MAX_COMBINATIONS}`,
        'Narrow the ranges, or draw a random sample of them with --samples N --seed S.');
    }
    points = Array.from({ length: total }, (_, i) => i);
  }
  return points.map((point, index) => ({ index, values: decodePoint(specs, point) }));
}

/** Point p of the grid, the last parameter varying fastest. */
function decodePoint(specs: readonly ParamSpec[], point: number): Record<string, SweepValue> {
  const values: Record<string, SweepValue> = {};
  let rest = point;
  const picks: number[] = [];
  for (let k = specs.length - 1; k >= 0; k--) {
    picks[k] = rest % specs[k].values.length;
    rest = Math.floor(rest / specs[k].values.length);
  }
  for (let k = 0; k < specs.length; k++) values[specs[k].name] = specs[k].values[picks[k]];
  return values;
}

function samplePoints(total: number, { samples, seed }: Sampling): number[] {
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_COMBINATIONS) {
    throw new BarwiseError('USAGE', `--samples must be a whole number from 1 to ${MAX_COMBINATIONS}, got ${samples}`, 'E.g. --samples 16 --seed 1.');
  }
  if (!Number.isSafeInteger(total)) throw new BarwiseError('USAGE', `the grid has more than ${Number.MAX_SAFE_INTEGER} combinations`, 'Narrow the ranges.');
  if (samples >= total) return Array.from({ length: total }, (_, i) => i);
  const next = createRandom(seed);
  if (samples * 2 > total) {
    // Most of the grid: shuffle every point (Fisher-Yates) and keep the first N.
    const all = Array.from({ length: total }, (_, i) => i);
    for (let i = total - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, samples).sort((a, b) => a - b);
  }
  // Under half the grid: draw and redraw repeats; each draw is new with probability above 1/2, so this ends fast.
  const picked = new Set<number>();
  while (picked.size < samples) picked.add(Math.floor(next() * total));
  return [...picked].sort((a, b) => a - b);
}

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same sequence on every machine. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `vol_mult=2.5 trade.stopPct=1`: a combination as the table and messages name it. */
export function formatCombination(values: Readonly<Record<string, SweepValue>>): string {
  return Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ');
}
