/**
 * The --report file's Performance Summary, monthly-returns heatmap, MAE/MFE histograms and benchmark line, in a
 * real headless browser (as html-report.test.ts): drawn from the report's data, offline, without page errors.
 * The bundled data holds SPY, so the default benchmark is drawn.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CHROMIUM, hasChromium, launchBrowser, watchOffline } from '../helpers/browser.js';
import { runCli, useTempDir } from '../helpers/temp.js';

describe('report: Performance Summary, heatmap and benchmark in a headless browser', function () {
  const tmp = useTempDir();

  before(function () {
    if (hasChromium()) return;
    if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium)`);
    this.skip();
  });

  it('draws the All / Long / Short table, the month × year grid and SPY beside the equity', async () => {
    const report = path.join(tmp(), 'report.html');
    const out = path.join(tmp(), 'out.json');
    const r = await runCli(['backtest', '--trade', '--stop-pct', '1', '--target-pct', '2', '--report', report, '--out', out, '--results-db', ':memory:']);
    expect(r.code, r.stderr).to.equal(0);
    const stats = JSON.parse(fs.readFileSync(out, 'utf8')).stats;

    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const { errors, requests } = await watchOffline(page);
      await page.goto(`file://${report}`);
      await page.waitForFunction(() => (window as unknown as { __barwiseReport?: { rendered: boolean } }).__barwiseReport?.rendered === true, null, { timeout: 20_000 });
      expect(errors, errors.join('\n')).to.deep.equal([]);
      expect(requests).to.deep.equal([]);

      // The summary: a header of the three columns, one row per figure; the All column's net profit is the run's total P&L.
      expect(await page.locator('#summary-summary thead th').allInnerTexts()).to.deep.equal(['', 'All', 'Long', 'Short']);
      const rows = await page.$$eval('#summary-summary tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => (td as HTMLElement).innerText)));
      expect(rows).to.have.length(16);
      const money = (s: string) => Number(s.replace(/[$,]/g, ''));
      const net = rows.find((row) => row[0] === 'Net profit')!;
      expect(money(net[1])).to.be.closeTo(stats.total_pnl, 0.005);
      expect(money(net[2]) + money(net[3])).to.be.closeTo(stats.total_pnl, 0.011);
      expect(rows.find((row) => row[0] === 'Trades')!.slice(1).map(Number)).to.deep.equal([stats.summary.all.trades, stats.summary.long.trades, stats.summary.short.trades]);

      // The heatmap: one row per year, twelve month cells and the year; a cell per month with a return.
      const grid = await page.$$eval('#monthly tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => (td as HTMLElement).innerText)));
      expect(grid.map((row) => row[0])).to.deep.equal([...new Set(stats.monthly_returns.map((m: { period: string }) => m.period.slice(0, 4)))]);
      expect(grid[0]).to.have.length(14);
      const shown = grid.flatMap((row) => row.slice(1, 13)).filter((c) => c !== '');
      expect(shown.map(Number)).to.deep.equal(stats.monthly_returns.map((m: { return_pct: number }) => Number(m.return_pct.toFixed(1))));

      // The equity chart carries a second line, SPY's buy and hold, at every point of the equity.
      const equity = await page.evaluate(() => {
        const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { label: string; data: number[] }[] } } } }).Chart.getChart('equity');
        return chart.data.datasets.map((d) => ({ label: d.label, points: d.data.length, first: d.data[0], last: d.data[d.data.length - 1] }));
      });
      expect(equity.map((d) => d.label)).to.deep.equal(['Equity', 'SPY buy and hold']);
      expect(equity[1].points).to.equal(equity[0].points);
      expect(equity[1].first).to.equal(stats.capital);
      // The last point is the last session's close: the buy and hold's whole return.
      expect(equity[1].last).to.be.closeTo(stats.capital * (1 + stats.benchmark.return_pct / 100), 0.01);
      expect(await page.locator('#kpis .kpi .label', { hasText: 'Benchmark SPY' }).count()).to.equal(1);
    } finally {
      await browser.close();
    }
  });
});
