import { expect } from 'chai';
import fc from 'fast-check';
import { calendarDates, planTasks } from '../../../src/plan/plan-tasks.js';

describe('planning tasks', () => {
  it('plans every ticker-date exactly once (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), { minLength: 1, maxLength: 6 }).map((t) => [...new Set(t)]),
      fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 16 }),
      (tickers, startOffset, span, threads) => {
        const from = new Date(Date.UTC(2024, 0, 1) + startOffset * 86_400_000).toISOString().slice(0, 10);
        const to = new Date(Date.UTC(2024, 0, 1) + (startOffset + span) * 86_400_000).toISOString().slice(0, 10);
        const tasks = planTasks(tickers, from, to, threads);
        const covered: string[] = [];
        for (const t of tasks) for (const d of calendarDates(t.fromDate, t.toDate)) covered.push(`${t.ticker}|${d}`);
        const expected = tickers.flatMap((t) => calendarDates(from, to).map((d) => `${t}|${d}`));
        expect(covered.sort()).to.deep.equal(expected.sort());
        expect(new Set(tasks.map((t) => t.key)).size).to.equal(tasks.length);
      },
    ));
  });

  it('splits a few tickers into enough tasks to keep the threads busy', () => {
    expect(planTasks(['SPY'], '2025-11-01', '2025-11-28', 4).length).to.be.at.least(16);
  });

  it('plans the same keys for the same input', () => {
    expect(planTasks(['A', 'B'], '2025-01-01', '2025-03-01', 2)).to.deep.equal(planTasks(['A', 'B'], '2025-01-01', '2025-03-01', 2));
  });
});
