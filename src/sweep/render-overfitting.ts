/**
 * What the terminal shows after the ranking: the walk-forward table (each window's dates and choice), the
 * stitched out-of-sample line and the in-sample vs out-of-sample gap, then PBO with its verdict and the
 * deflated Sharpe ratio of the best combination in plain words; a note for each figure skipped. Pure.
 */
import Table from 'cli-table3';
import { formatCombination } from './build-grid.js';
import type { SweepResult } from './sweep-options.js';

export function renderOverfitting(sweep: SweepResult): string {
  const { walkForward: wf, pbo, deflatedSharpe: dsr, notes } = sweep.overfitting;
  const describe = (c: number) => {
    const combo = sweep.combinations[c];
    return `#${combo.result.run.id} ${formatCombination(combo.values)}`;
  };
  const lines: string[] = [];
  if (wf) {
    const shape = `${wf.shape.anchored ? 'anchored' : 'rolling'}, train ${wf.shape.train}, test ${wf.shape.test} trading days`;
    lines.push(`Walk-forward (${shape}), ${wf.windows.length} window(s), chosen by ${wf.objective} on train:`);
    const t = new Table({ head: ['window', 'train', 'test', 'chosen', `train ${wf.objective}`, `test ${wf.objective}`], style: { head: [], border: [] } });
    for (const s of wf.steps) {
      t.push([
        String(s.window.index), `${s.window.train[0]}..${s.window.train[1]} (${s.window.trainDays})`, `${s.window.test[0]}..${s.window.test[1]} (${s.window.testDays})`,
        s.chosen === null ? 'none eligible' : describe(s.chosen), formatNumber(s.train), formatNumber(s.test),
      ]);
    }
    lines.push(t.toString());
    const oos = wf.outOfSample;
    const pnl = oos.trades.reduce((a, tr) => a + tr.pnl, 0);
    const end = oos.equity.length ? oos.equity[oos.equity.length - 1].equity : null;
    const start = end === null ? null : end - pnl;
    const ret = start && end !== null ? ((end / start) - 1) * 100 : null;
    lines.push(`Out of sample, stitched: ${oos.daily.length} test day(s), ${oos.trades.length} trade(s), ${wf.objective} ${formatNumber(oos.objective)}, P&L $${pnl.toFixed(2)}${ret === null ? '' : ` (${ret.toFixed(2)} %)`}`);
    const g = wf.gap;
    lines.push(g.windows === 0
      ? 'In-sample vs out-of-sample gap: none (no window has both a train and a test objective)'
      : `In-sample vs out-of-sample gap: mean train ${wf.objective} ${formatNumber(g.inSample)}, mean test ${formatNumber(g.outOfSample)}, gap ${formatNumber(g.difference)} over ${g.windows} window(s) (positive: the in-sample figures overstate what the choice delivers)`);
  }
  if (pbo) {
    lines.push(`PBO ${pbo.pbo.toFixed(2)} (${pbo.verdict.level}): ${pbo.verdict.text}. `
      + `${pbo.splits} splits of ${pbo.blocks} blocks × ${pbo.blockDays} day(s), ${pbo.combinations} combinations; probability of loss ${pbo.probabilityOfLoss.toFixed(2)}`);
  }
  if (dsr) {
    const p = dsr.dsr;
    lines.push(`Deflated Sharpe ${p === null ? '-' : p.toFixed(2)} for the best combination (${describe(dsr.combination)}): Sharpe ${dsr.sharpeAnnualised.toFixed(2)} a year `
      + `against ${dsr.expectedMaxSharpeAnnualised.toFixed(2)} expected from the best of ${dsr.trials} combinations by luck alone; `
      + (p === null ? 'undefined for these returns (their skewness and kurtosis leave no variance term)'
        : `the probability that its true Sharpe ratio beats that is ${(p * 100).toFixed(0)} % (${p >= 0.95 ? 'significant at 5 % after selection' : 'not significant at 5 % after selection: 0.95 or more is'})`));
  }
  for (const n of notes) lines.push(n);
  return lines.join('\n');
}

function formatNumber(v: number | null): string {
  return v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}
