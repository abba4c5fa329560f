/**
 * The --report HTML file opened in a real headless browser (Debian's chromium through playwright-core):
 * it must load nothing from the network, draw every chart, and sort its trade table. Without chromium this
 * skips locally; under CI=true a missing browser fails. BARWISE_SCREENSHOT=FILE.png keeps a screenshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CHROMIUM, hasChromium, launchBrowser, watchOffline } from '../helpers/browser.js';
import { runCli, useTempDir } from '../helpers/temp.js';

describe('report: the HTML file in a headless browser', function () {
  const tmp = useTempDir();

  before(function () {
    if (hasChromium()) return;
    if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium)`);
    this.skip();
  });

  it('renders every chart offline and sorts the trade table', async () => {
    const report = path.join(tmp(), 'report.html');
    const out = path.join(tmp(), 'out.json');
    const r = await runCli(['backtest', '--trade', '--stop-pct', '1', '--target-pct', '2', '--report', report, '--out', out, '--results-db', ':memory:']);
    expect(r.code, r.stderr).to.equal(0);
    const written = JSON.parse(fs.readFileSync(out, 'utf8'));
    const trades = written.trades as { pnl: number }[];

    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const { errors, requests } = await watchOffline(page);
      await page.goto(`file://${report}`);
      await page.waitForFunction(() => (window as unknown as { __barwiseReport?: { rendered: boolean } }).__barwiseReport?.rendered === true, null, { timeout: 20_000 });
      expect(errors, errors.join('\n')).to.deep.equal([]);
      expect(requests, 'the report must not touch the network').to.deep.equal([]);

      // A card for every headline figure and a table for every breakdown the report's data holds.
      const data = await page.evaluate(() => JSON.parse(document.getElementById('report-data')!.textContent!) as
        { kpis: { label: string; value: string }[]; breakdowns: { rows: unknown[] }[] });
      expect(await page.locator('#kpis .kpi .label').allInnerTexts()).to.deep.equal(data.kpis.map((k) => k.label));
      expect(await page.locator('#kpis .kpi .value').allInnerTexts()).to.deep.equal(data.kpis.map((k) => k.value));
      expect(await page.locator('[id^="breakdown-"] tbody tr').count()).to.equal(data.breakdowns.reduce((n, b) => n + b.rows.length, 0));

      // Each canvas holds a Chart.js chart with data, and has drawn pixels.
      const charts = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
        const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { data: unknown[] }[] } } | undefined } }).Chart.getChart(c);
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
        return { id: c.id, points: chart ? chart.data.datasets[0].data.length : 0, painted, width: c.width };
      }));
      expect(charts.map((c) => c.id)).to.deep.equal(['equity', 'drawdown', 'returns', 'bytime', 'mae', 'mfe']);
      expect(charts[0].points).to.equal(written.equity.length); // the mark-to-market series, point for point
      for (const c of charts) {
        expect(c.width, c.id).to.be.greaterThan(100);
        expect(c.painted, `${c.id} drew nothing`).to.be.greaterThan(1000);
      }

      // The table lists every trade and sorts by P&L on a click, ascending then descending.
      expect(await page.locator('#trades tbody tr').count()).to.equal(trades.length);
      const pnlColumn = async () => page.$$eval('#trades tbody tr', (rows) => rows.map((r) => (r.children[11] as HTMLElement).innerText));
      const money = (s: string) => Number(s.replace(/[$,]/g, ''));
      const header = page.locator('#trades th', { hasText: 'P&L' });
      await header.click();
      const asc = (await pnlColumn()).map(money);
      expect(asc[0]).to.equal(Math.min(...trades.map((t) => t.pnl)));
      expect(asc).to.deep.equal([...asc].sort((a, b) => a - b));
      await header.click();
      expect((await pnlColumn()).map(money)[0]).to.equal(Math.max(...trades.map((t) => t.pnl)));

      if (process.env.BARWISE_SCREENSHOT) await page.screenshot({ path: process.env.BARWISE_SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
