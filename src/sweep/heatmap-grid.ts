/**
 * The sweep report's heatmap: the objective over two swept parameters, the other swept parameters held at the
 * best combination's values. A cell is the combination with those values (its index and objective), or null
 * where the sweep ran no such combination (a random search, or a combination that differs elsewhere).
 */
import { BarwiseError } from '../errors.js';
import type { SweepValue } from './parse-param-spec.js';
import type { SweepResult } from './sweep-options.js';

export interface HeatmapCell {
  index: number;
  objective: number | null;
}

export interface HeatmapGrid {
  /** Parameter along the columns, then along the rows. */
  x: string;
  y: string;
  xValues: SweepValue[];
  yValues: SweepValue[];
  /** cells[row][column]. */
  cells: (HeatmapCell | null)[][];
  /** The other swept parameters and the best combination's values of them. */
  fixed: Record<string, SweepValue>;
  /** The combination the fixed values are taken from (the ranking's first). */
  best: number;
}

/**
 * The two parameters a heatmap is drawn over: those named (`a,b`), or the first two swept; null when fewer
 * than two are swept and none were named. A name that is not swept is a usage error naming the swept ones.
 */
export function chooseHeatmapParams(swept: readonly string[], named: string | undefined): [string, string] | null {
  if (named === undefined) return swept.length >= 2 ? [swept[0], swept[1]] : null;
  const names = named.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const sweptText = swept.length > 0 ? swept.join(', ') : 'none';
  if (names.length !== 2 || names[0] === names[1]) {
    throw new BarwiseError('USAGE', `--heatmap ${named}: name two different swept parameters, separated by a comma`,
      `The swept parameters: ${sweptText}; e.g. --heatmap ${swept.length >= 2 ? `${swept[0]},${swept[1]}` : 'or_bars,vol_mult'}.`);
  }
  for (const n of names) {
    if (!swept.includes(n)) {
      throw new BarwiseError('USAGE', `--heatmap ${named}: ${n} is not a swept parameter`,
        `The swept parameters (--param): ${sweptText}.`);
    }
  }
  return [names[0], names[1]];
}

export function buildHeatmapGrid(sweep: SweepResult, [x, y]: readonly [string, string]): HeatmapGrid {
  const best = sweep.combinations[sweep.ranking[0]];
  const fixed = Object.fromEntries(Object.entries(best.values).filter(([k]) => k !== x && k !== y));
  const onSlice = sweep.combinations.filter((c) => Object.entries(fixed).every(([k, v]) => c.values[k] === v));
  const xValues = listAxis(sweep.combinations.map((c) => c.values[x]));
  const yValues = listAxis(sweep.combinations.map((c) => c.values[y]));
  const cells = yValues.map(() => xValues.map((): HeatmapCell | null => null));
  for (const c of onSlice) {
    cells[yValues.indexOf(c.values[y])][xValues.indexOf(c.values[x])] = { index: c.index, objective: c.objective };
  }
  return { x, y, xValues, yValues, cells, fixed, best: best.index };
}

/** An axis: each value once, numbers ascending, other values in the order the sweep ran them. */
function listAxis(values: readonly SweepValue[]): SweepValue[] {
  const distinct = [...new Set(values)];
  return distinct.every((v) => typeof v === 'number') ? (distinct as number[]).sort((a, b) => a - b) : distinct;
}
