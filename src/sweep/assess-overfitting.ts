/**
 * The figures a sweep reports about choosing among its combinations (docs/sweeps.md), from its SweepMatrix:
 * PBO always, the deflated Sharpe ratio of the best combination by the objective, and with --walk-forward the
 * windows and their choices. Each figure the matrix cannot give (one combination, too few days, returns that
 * never vary) is skipped with a one-line note saying why: the sweep's results stand without it.
 */
import { BarwiseError } from '../errors.js';
import { chooseWalkForward, type WalkForwardResult } from './choose-walk-forward.js';
import { deflateSharpe, type DeflatedSharpeResult } from './deflated-sharpe.js';
import { computeProbabilityOfOverfitting, type PboResult } from './probability-of-overfitting.js';
import { computeReturnMatrix, type SweepMatrix } from './sweep-matrix.js';
import { computeWalkForwardWindows, type WalkForwardShape, type WalkForwardWindow } from './walk-forward-windows.js';

export interface SweepOverfitting {
  /** Trading days of the sweep the figures are computed over. */
  days: number;
  /** With --walk-forward and enough days; null otherwise. */
  walkForward: (WalkForwardResult & { shape: WalkForwardShape; windows: WalkForwardWindow[] }) | null;
  pbo: PboResult | null;
  deflatedSharpe: DeflatedSharpeResult | null;
  /** Why a figure was skipped, one line each, in the order walk-forward, PBO, deflated Sharpe. */
  notes: string[];
}

export interface OverfittingOptions {
  objective: string;
  minTrades: number;
  /** The combination ranked first by the objective: the one deflated. */
  best: number;
  walkForward: WalkForwardShape | null;
  pboBlocks: number;
}

export function assessOverfitting(matrix: SweepMatrix, o: OverfittingOptions): SweepOverfitting {
  const notes: string[] = [];
  const returns = computeReturnMatrix(matrix);
  let walkForward: SweepOverfitting['walkForward'] = null;
  if (o.walkForward) {
    const windows = skipIfUnfit('walk-forward', notes, () => computeWalkForwardWindows(matrix.days, o.walkForward!));
    if (windows) walkForward = { shape: o.walkForward, windows, ...chooseWalkForward(matrix, windows, o) };
  }
  const pbo = matrix.trades.length < 2
    ? (notes.push('PBO skipped: it compares combinations, and the sweep has 1'), null)
    : skipIfUnfit('PBO', notes, () => computeProbabilityOfOverfitting(returns, { blocks: o.pboBlocks }));
  const deflatedSharpe = deflateSharpe(returns, { combination: o.best });
  if (!deflatedSharpe) notes.push(`deflated Sharpe skipped: the best combination (${o.best}) has daily returns that never vary (no Sharpe ratio)`);
  return { days: matrix.days.length, walkForward, pbo, deflatedSharpe, notes };
}

/** A figure the days cannot give (INVALID_RANGE) is a note; any other error is a bug and stays one. */
function skipIfUnfit<T>(what: string, notes: string[], compute: () => T): T | null {
  try {
    return compute();
  } catch (err) {
    if (!(err instanceof BarwiseError) || err.code !== 'INVALID_RANGE') throw err;
    notes.push(`${what} skipped: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
    return null;
  }
}
