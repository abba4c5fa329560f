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
    ...formatOverfitting(sweep),
  }, null, 2) + '\n';
}

/**
 * `walk_forward` (null without --walk-forward or when skipped), `pbo` with the distribution of the in-sample
 * best's out-of-sample rank (rank → splits) rather than every split, `deflated_sharpe`, and the notes on
 * figures skipped.
 */
export function formatOverfitting(sweep: SweepResult) {
  const { walkForward: wf, pbo, deflatedSharpe: d, notes, days } = sweep.overfitting;
  const runId = (c: number | null) => (c === null ? null : sweep.combinations[c].result.run.id);
  const ranks = new Map<number, number>();
  for (const r of pbo?.outOfSampleRanks ?? []) ranks.set(r, (ranks.get(r) ?? 0) + 1);
  return {
    days,
    walk_forward: wf && {
      train: wf.shape.train, test: wf.shape.test, anchored: wf.shape.anchored, objective: wf.objective,
      windows: wf.steps.map((s) => ({
        index: s.window.index, train: s.window.train, test: s.window.test, train_days: s.window.trainDays, test_days: s.window.testDays,
        chosen: s.chosen, chosen_run_id: runId(s.chosen), train_objective: s.train, test_objective: s.test,
        train_trades: s.trainTrades, test_trades: s.testTrades,
      })),
      out_of_sample: {
        days: wf.outOfSample.daily.length, trades: wf.outOfSample.trades.length, objective: wf.outOfSample.objective,
        pnl: wf.outOfSample.trades.reduce((a, t) => a + t.pnl, 0), daily: wf.outOfSample.daily, equity: wf.outOfSample.equity,
      },
      gap: { in_sample: wf.gap.inSample, out_of_sample: wf.gap.outOfSample, difference: wf.gap.difference, windows: wf.gap.windows },
    },
    pbo: pbo && {
      pbo: pbo.pbo, verdict: pbo.verdict, blocks: pbo.blocks, block_days: pbo.blockDays, days_used: pbo.daysUsed, days_left_out: pbo.daysLeftOut,
      combinations: pbo.combinations, splits: pbo.splits, probability_of_loss: pbo.probabilityOfLoss,
      out_of_sample_rank_splits: Object.fromEntries([...ranks].sort((a, b) => a[0] - b[0]).map(([r, n]) => [String(r), n])),
    },
    deflated_sharpe: d && {
      combination: d.combination, run_id: runId(d.combination), dsr: d.dsr, trials: d.trials, trials_with_sharpe: d.trialsWithSharpe,
      observations: d.observations, sharpe: d.sharpe, sharpe_annualised: d.sharpeAnnualised, trial_variance: d.trialVariance,
      expected_max_sharpe: d.expectedMaxSharpe, expected_max_sharpe_annualised: d.expectedMaxSharpeAnnualised, skewness: d.skewness, kurtosis: d.kurtosis,
    },
    notes,
  };
}
