/**
 * The sweep as `--out sweep.json` writes it: the sweep, then every combination in sweep order with its run id,
 * values, status, objective and statistics, then the ranking. A combination's signals and trades are in its run
 * (`barwise runs`, or `backtest --resume N --out` of it): the file stays small however many combinations ran.
 */
import type { SweepResult } from './sweep-options.js';

export function formatSweepJson(sweep: SweepResult): string {
  return JSON.stringify({
    sweep: { id: sweep.sweepId, status: sweep.status, objective: sweep.objective, min_trades: sweep.minTrades, combinations: sweep.combinations.length },
    combinations: sweep.combinations.map((c) => ({
      index: c.index,
      run_id: c.result.run.id,
      plan_hash: c.result.run.plan_hash,
      status: c.result.run.status,
      values: c.values,
      objective: c.objective,
      trades: c.trades,
      below_min_trades: c.belowMinTrades,
      signals: c.result.run.counts.signals,
      failures: c.result.run.counts.failures,
      stats: c.result.stats ?? null,
    })),
    ranking: sweep.ranking,
  }, null, 2) + '\n';
}
