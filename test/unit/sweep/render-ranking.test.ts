import { expect } from 'chai';
import { renderRanking } from '../../../src/sweep/render-ranking.js';
import type { CombinationResult, SweepResult } from '../../../src/sweep/sweep-options.js';

/** A combination as the ranking reads it: its run's id, status and failed days, its objective and trades. */
function combination(index: number, status: string, failed: number, objective: number | null): CombinationResult {
  return {
    index, values: { n: index + 1 }, objective, trades: 10, belowMinTrades: false,
    result: { run: { id: 40 + index, status, counts: { ticker_days_failed: failed } }, stats: { profit_factor: objective }, failures: [] },
  } as unknown as CombinationResult;
}

describe('renderRanking', () => {
  // A wide terminal, so that no cell wraps: the table is fitted to the terminal's width (fit-table.ts).
  const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
  before(() => Object.assign(process.stdout, { isTTY: true, columns: 200 }));
  after(() => Object.assign(process.stdout, saved));

  it('marks a combination that failed on some ticker-days, with how many, and says what that means', () => {
    const sweep = {
      sweepId: 3, status: 'partial', objective: 'profit_factor', minTrades: 0, ranking: [1, 0],
      combinations: [combination(0, 'completed', 0, 1.2), combination(1, 'partial', 2, 1.5)],
    } as unknown as SweepResult;
    const lines = renderRanking(sweep, 20).split('\n');
    const row = (run: string) => lines.find((l) => l.includes(` ${run} `))!;
    expect(row('#41')).to.include('partial (2 failed)');
    expect(row('#40')).to.include('completed').and.not.include('failed');
    expect(lines.at(-1)).to.match(/^partial: the combination failed on some ticker-days/);
  });

  it('says nothing of failures when every combination completed', () => {
    const sweep = {
      sweepId: 3, status: 'completed', objective: 'profit_factor', minTrades: 0, ranking: [0],
      combinations: [combination(0, 'completed', 0, 1.2)],
    } as unknown as SweepResult;
    expect(renderRanking(sweep, 20)).to.not.include('partial');
  });
});
