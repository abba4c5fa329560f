/**
 * `sweep --report FILE` opened in a real headless browser (Debian's chromium through playwright-core): the
 * ranking lists the combinations in the order of the sweep's JSON ranking with their figures, the heatmap's
 * cells hold the objectives of the combinations with those values (from `--out`), the best combination's run
 * report draws its charts inside the page, and nothing touches the network. A --heatmap naming a parameter
 * that is not swept is a usage error before anything runs. With --walk-forward, the out-of-sample equity chart
 * is drawn and its points equal a stitch of the chosen runs' test-day P&L read from the results database. Without chromium the browser cases skip locally;
 * under CI=true a missing browser fails. BARWISE_SCREENSHOT=FILE.png keeps a screenshot of the full report.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, watchOffline } from '../helpers/browser.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');

interface SweepJson {
  sweep: { id: number; objective: string; min_trades: number };
  combinations: { index: number; run_id: number; values: Record<string, number>; objective: number | null; trades: number; below_min_trades: boolean }[];
  ranking: number[];
}

/** The figure as a reader of the ranking expects it: whole numbers whole, others to 2 decimals, none a dash. */
function showFigure(v: number | null): string {
  return v === null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Opens the report with the network cut off; the errors and the requests it tried are collected. */
async function openReport(page: Page, file: string): Promise<{ errors: string[]; requests: string[] }> {
  const { errors, requests } = await watchOffline(page);
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as unknown as { __barwiseSweepReport?: { rendered: boolean } }).__barwiseSweepReport?.rendered === true, null, { timeout: 20_000 });
  return { errors, requests };
}

/** Opens `file` in a fresh browser, hands the page and what openReport collected to `check`, then closes the browser. */
async function inReport(file: string, check: (page: Page, seen: { errors: string[]; requests: string[] }) => Promise<void>): Promise<void> {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await check(page, await openReport(page, file));
  } finally {
    await browser.close();
  }
}

/** The heatmap as the page shows it: axis names and values, and each cell's combination index and value. */
async function readHeatmap(page: Page) {
  return page.evaluate(() => {
    const t = document.getElementById('heatmap') as HTMLTableElement;
    const xValues = [...t.tHead!.rows[0].cells].slice(1).map((c) => Number(c.textContent));
    const rows = [...t.tBodies[0].rows].map((r) => ({
      y: Number(r.cells[0].textContent),
      cells: [...r.cells].slice(1).map((c) => (c.classList.contains('empty') ? null
        : { index: Number(c.dataset.index), value: c.dataset.value === '' ? null : Number(c.dataset.value), text: c.textContent, few: c.classList.contains('few') })),
    }));
    return { x: t.dataset.x!, y: t.dataset.y!, xValues, rows, caption: document.getElementById('heatmap-caption')!.textContent! };
  });
}

/** What the heatmap must hold, computed from the JSON: the combinations whose other values equal the best's. */
function expectHeatmap(h: Awaited<ReturnType<typeof readHeatmap>>, json: SweepJson, x: string, y: string): number {
  const best = json.combinations[json.ranking[0]];
  const others = Object.keys(best.values).filter((k) => k !== x && k !== y);
  const slice = json.combinations.filter((c) => others.every((k) => c.values[k] === best.values[k]));
  expect([h.x, h.y]).to.deep.equal([x, y]);
  expect(h.xValues).to.deep.equal([...new Set(json.combinations.map((c) => c.values[x]))].sort((a, b) => a - b));
  expect(h.rows.map((r) => r.y)).to.deep.equal([...new Set(json.combinations.map((c) => c.values[y]))].sort((a, b) => a - b));
  let filled = 0;
  for (const row of h.rows) {
    row.cells.forEach((cell, k) => {
      const c = slice.find((s) => s.values[x] === h.xValues[k] && s.values[y] === row.y);
      if (!c) {
        expect(cell, `${x}=${h.xValues[k]} ${y}=${row.y} was not run: its cell is empty`).to.equal(null);
        return;
      }
      filled++;
      expect(cell, `${x}=${h.xValues[k]} ${y}=${row.y}`).to.deep.equal({ index: c.index, value: c.objective, text: showFigure(c.objective), few: c.below_min_trades });
    });
  }
  expect(filled).to.equal(slice.length);
  for (const k of others) expect(h.caption).to.include(`${k}=${best.values[k]}`);
  return filled;
}

describe('sweep --report: the HTML file in a headless browser', function () {
  this.timeout(300_000);
  const tmp = useTempDir();

  describe('a full grid of three parameters', () => {
    let report: string;
    let json: SweepJson;

    before(async function () {
      if (!hasChromium()) {
        if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium)`);
        this.skip();
      }
      report = path.join(tmp(), 'sweep.html');
      const out = path.join(tmp(), 'sweep.json');
      const r = await runCli(['sweep', '--scanner', ORB, '--param', 'or_bars=3,6', '--param', 'vol_mult=1.5,2,3', '--param', 'trade.targetPct=1,2',
        '--min-trades', '30', '--threads', '2', '--report', report, '--out', out, '--results-db', path.join(tmp(), 'results.db')]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(/wrote .*sweep\.html \([\d.]+ kB\) for sweep #1/);
      json = JSON.parse(fs.readFileSync(out, 'utf8'));
    });

    it('lists the ranking of --out, row for row, with each combination\'s figures, those under --min-trades marked, and sorts on a click', async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const { errors, requests } = await openReport(page, report);
        expect(errors, errors.join('\n')).to.deep.equal([]);
        expect(requests, 'the report must not touch the network').to.deep.equal([]);
        const rows = await page.$$eval('#ranking tbody tr', (trs) => trs.map((tr) => ({
          index: Number((tr as HTMLElement).dataset.index), few: tr.classList.contains('few'),
          cells: [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent),
        })));
        expect(rows.map((r) => r.index)).to.deep.equal(json.ranking);
        const byIndex = new Map(json.combinations.map((c) => [c.index, c]));
        rows.forEach((row, k) => {
          const c = byIndex.get(row.index)!;
          expect(row.cells.slice(0, 5)).to.deep.equal([String(k + 1), `#${c.run_id}`, Object.entries(c.values).map(([n, v]) => `${n}=${v}`).join(' '), showFigure(c.objective), String(c.trades)]);
          expect(row.few, `combination ${c.index}`).to.equal(c.below_min_trades);
          expect(row.cells[row.cells.length - 1]).to.equal(c.below_min_trades ? `under ${json.sweep.min_trades}` : '');
        });
        expect(rows.some((r) => r.few), 'the grid has combinations under --min-trades 30').to.equal(true);
        expect(rows.some((r) => !r.few)).to.equal(true);

        await page.locator('#ranking th', { hasText: /^trades$/ }).click();
        const trades = (await page.$$eval('#ranking tbody tr', (trs) => trs.map((tr) => (tr as HTMLTableRowElement).cells[4].textContent))).map(Number);
        expect(trades).to.deep.equal(json.combinations.map((c) => c.trades).sort((a, b) => a - b));
      } finally {
        await browser.close();
      }
    });

    it('draws the heatmap over the first two swept parameters, the third fixed at the best combination\'s value', () => inReport(report, async (page) => {
      const h = await readHeatmap(page);
      expect(expectHeatmap(h, json, 'or_bars', 'vol_mult')).to.equal(6); // every or_bars × vol_mult pair, at the best's trade.targetPct
      expect(h.rows.flatMap((r) => r.cells).some((c) => c?.few), 'vol_mult=3 trades under --min-trades 30: marked').to.equal(true);
    }));

    it('without --walk-forward, draws no walk-forward chart and says which flags give one', () => inReport(report, async (page) => {
      expect(await page.locator('#no-walk-forward').innerText()).to.include('--walk-forward --train N --test M');
      expect(await page.locator('#wf-equity').count()).to.equal(0);
    }));

    it('embeds the best combination\'s run report, which draws every chart and lists its trades', async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const { errors, requests } = await openReport(page, report);
        const frame: Frame | null = await (await page.$('#best-report'))!.contentFrame();
        expect(frame).to.not.equal(null);
        await frame!.waitForFunction(() => (window as unknown as { __barwiseReport?: { rendered: boolean } }).__barwiseReport?.rendered === true, null, { timeout: 20_000 });
        const best = json.combinations[json.ranking[0]];
        expect(await frame!.locator('#trades tbody tr').count()).to.equal(best.trades);
        expect(await frame!.locator('.sub').innerText()).to.include(`run #${best.run_id}`);
        const charts = await frame!.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => {
          const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
          return { id: c.id, painted };
        }));
        expect(charts.map((c) => c.id)).to.deep.equal(['equity', 'drawdown', 'returns', 'bytime', 'mae', 'mfe']);
        for (const c of charts) expect(c.painted, `${c.id} drew nothing`).to.be.greaterThan(1000);
        expect(errors, errors.join('\n')).to.deep.equal([]);
        expect(requests, 'the report must not touch the network').to.deep.equal([]);
        if (process.env.BARWISE_SCREENSHOT) await page.screenshot({ path: process.env.BARWISE_SCREENSHOT, fullPage: true });
      } finally {
        await browser.close();
      }
    });
  });

  describe('with --walk-forward', () => {
    interface WindowJson { index: number; test: [string, string]; chosen_run_id: number | null; train_objective: number | null; test_objective: number | null }
    let report: string;
    let results: string;
    let json: SweepJson & { walk_forward: { objective: string; windows: WindowJson[]; out_of_sample: { trades: number }; gap: { difference: number | null } } };

    before(async function () {
      if (!hasChromium()) {
        if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}`);
        this.skip();
      }
      report = path.join(tmp(), 'wf.html');
      results = path.join(tmp(), 'wf.db');
      const out = path.join(tmp(), 'wf.json');
      const r = await runCli(['sweep', '--scanner', ORB, '--param', 'or_bars=3,12', '--param', 'vol_mult=1.5,2', '--walk-forward', '--train', '8', '--test', '6',
        '--threads', '2', '--report', report, '--out', out, '--results-db', results, '--no-progress']);
      expect(r.code, r.stderr).to.equal(0);
      json = JSON.parse(fs.readFileSync(out, 'utf8'));
    });

    /** The stitch, from the results database alone: each window's test days (the days its chosen run has bars on), the chosen run's P&L on each, summed from the capital. */
    function stitchFromResults(): { date: string; equity: number; window: number }[] {
      const db = new Database(results, { readonly: true });
      try {
        const days = (db.prepare('SELECT DISTINCT date FROM run_days WHERE run_id = ? ORDER BY date').all(json.combinations[0].run_id) as { date: string }[]).map((d) => d.date);
        const pnl = db.prepare('SELECT COALESCE(SUM(pnl), 0) AS pnl FROM trades WHERE run_id = ? AND date = ?');
        let equity = 100_000; // the default --capital
        const out: { date: string; equity: number; window: number }[] = [];
        for (const w of json.walk_forward.windows) {
          for (const d of days.filter((x) => x >= w.test[0] && x <= w.test[1])) {
            if (w.chosen_run_id !== null) equity += (pnl.get(w.chosen_run_id, d) as { pnl: number }).pnl;
            out.push({ date: d, equity, window: w.index });
          }
        }
        return out;
      } finally {
        db.close();
      }
    }

    it('draws the stitched out-of-sample equity, each window in its own line named by its chosen combination, its points the chosen runs\' test-day P&L from the capital', () => inReport(report, async (page, { errors, requests }) => {
      expect(errors, errors.join('\n')).to.deep.equal([]);
      expect(requests, 'the report must not touch the network').to.deep.equal([]);
      const chart = await page.evaluate(() => {
        const canvas = document.getElementById('wf-equity') as HTMLCanvasElement;
        const c = (window as unknown as { Chart: { getChart(el: HTMLCanvasElement): { data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } } }).Chart.getChart(canvas);
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
        return { labels: c.data.labels, datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })), painted };
      });
      expect(chart.painted, 'the chart drew nothing').to.be.greaterThan(1000);
      const expected = stitchFromResults();
      const windows = json.walk_forward.windows;
      expect(windows.length, 'train 8 test 6 over 29 days: 4 windows').to.equal(4);
      expect(chart.labels).to.deep.equal(expected.map((e) => e.date));
      expect(chart.datasets.map((d) => d.label)).to.deep.equal([...windows.map((w) => {
        const c = json.combinations.find((x) => x.run_id === w.chosen_run_id);
        return `window ${w.index}: ${c ? `#${c.run_id} ${Object.entries(c.values).map(([n, v]) => `${n}=${v}`).join(' ')}` : 'none eligible (flat)'}`;
      }), 'capital']);
      windows.forEach((w, k) => {
        chart.datasets[k].data.forEach((v, i) => {
          if (expected[i].window === w.index) expect(v, `window ${w.index}, ${expected[i].date}`).to.be.closeTo(expected[i].equity, 1e-6);
          else if (expected[i + 1]?.window === w.index) expect(v, 'joined to the previous window\'s last point').to.be.closeTo(expected[i].equity, 1e-6);
          else expect(v, `window ${w.index} has no point on ${expected[i].date}`).to.equal(null);
        });
      });
      expect(chart.datasets[windows.length].data.every((v) => v === 100_000)).to.equal(true);
      expect(expected.some((e, i) => i > 0 && e.equity !== expected[i - 1].equity), 'the out-of-sample trades move the equity').to.equal(true);
    }));

    it('lists each window\'s train and test objective and their difference, and the in-sample vs out-of-sample gap', () => inReport(report, async (page) => {
      const rows = await page.$$eval('#wf-windows tbody tr', (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
      expect(rows.map((r) => [r[0], r[4], r[5], r[6]])).to.deep.equal(json.walk_forward.windows.map((w) => [String(w.index), showFigure(w.train_objective), showFigure(w.test_objective),
        showFigure(w.train_objective === null || w.test_objective === null ? null : w.train_objective - w.test_objective)]));
      const gap = await page.locator('#wf-gap').innerText();
      const paired = json.walk_forward.windows.filter((w) => w.train_objective !== null && w.test_objective !== null);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const difference = mean(paired.map((w) => w.train_objective!)) - mean(paired.map((w) => w.test_objective!));
      expect(gap).to.include(`gap ${showFigure(difference)} over ${paired.length} window(s)`);
      expect(await page.locator('#wf-stitched').innerText()).to.include(`${json.walk_forward.out_of_sample.trades} trade(s)`);
    }));
  });

  it('leaves the cells of combinations a random search did not run empty, over the parameters --heatmap names', async function () {
    if (!hasChromium()) {
      if (process.env.CI) throw new Error(`chromium not found at ${CHROMIUM}`);
      this.skip();
    }
    const report = path.join(tmp(), 'sampled.html');
    const out = path.join(tmp(), 'sampled.json');
    const r = await runCli(['sweep', '--scanner', ORB, '--param', 'trade.stopPct=0.5,1,1.5', '--param', 'trade.targetPct=1,2,3', '--samples', '5', '--seed', '3',
      '--heatmap', 'trade.targetPct,trade.stopPct', '--report', report, '--out', out, '--results-db', path.join(tmp(), 'sampled.db')]);
    expect(r.code, r.stderr).to.equal(0);
    const json: SweepJson = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.combinations).to.have.length(5);
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await openReport(page, report);
      const h = await readHeatmap(page);
      expect(expectHeatmap(h, json, 'trade.targetPct', 'trade.stopPct')).to.equal(5);
      // The axes hold the values the sampled combinations have; the pairs not drawn stay empty.
      const empty = h.rows.flatMap((row) => row.cells).filter((c) => c === null).length;
      expect(empty).to.equal(h.xValues.length * h.rows.length - 5);
      expect(empty, 'five of the nine pairs leave some empty').to.be.greaterThan(0);
    } finally {
      await browser.close();
    }
  });

  describe('--heatmap usage errors, before anything runs; a report that cannot be written', () => {
    const cases: [string, string[], RegExp, RegExp][] = [
      ['a parameter that is not swept', ['--heatmap', 'or_bars,stop'], /--heatmap or_bars,stop: stop is not a swept parameter/, /The swept parameters \(--param\): or_bars, trade\.targetPct/],
      ['one parameter', ['--heatmap', 'or_bars'], /--heatmap or_bars: name two different swept parameters/, /or_bars, trade\.targetPct/],
      ['the same parameter twice', ['--heatmap', 'or_bars,or_bars'], /name two different swept parameters/, /--heatmap or_bars,trade\.targetPct/],
    ];
    for (const [what, args, message, hint] of cases) {
      it(`refuses ${what} (exit 2), writing nothing`, async () => {
        const dir = fs.mkdtempSync(path.join(tmp(), 'usage-'));
        const r = await runCli(['sweep', '--scanner', ORB, '--param', 'or_bars=3,6', '--param', 'trade.targetPct=1,2', ...args,
          '--report', path.join(dir, 'sweep.html'), '--results-db', path.join(dir, 'results.db')]);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(r.stderr).to.match(hint);
        expect(fs.readdirSync(dir), 'no report, no results database').to.deep.equal([]);
      });
    }

    it('a --report that cannot be written (its folder is a file): exit 1 naming the file, --out and every run kept', async () => {
      const dir = fs.mkdtempSync(path.join(tmp(), 'unwritable-'));
      fs.writeFileSync(path.join(dir, 'folder'), '');
      const out = path.join(dir, 'sweep.json');
      const results = path.join(dir, 'results.db');
      const r = await runCli(['sweep', '--scanner', ORB, '--param', 'trade.targetPct=1,2', '--report', path.join(dir, 'folder', 'sweep.html'),
        '--out', out, '--results-db', results, '--no-progress']);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.include(`barwise: cannot write ${path.join(dir, 'folder', 'sweep.html')}`);
      expect(r.stderr).to.not.match(/unexpected error/);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).combinations).to.have.length(2);
      expect(fs.readdirSync(dir).sort(), 'no temp file left').to.deep.equal(['folder', 'results.db', 'sweep.json']);
    });

    it('refuses --heatmap without --report (exit 2), saying to add one', async () => {
      const dir = fs.mkdtempSync(path.join(tmp(), 'usage-'));
      const r = await runCli(['sweep', '--scanner', ORB, '--param', 'or_bars=3,6', '--param', 'trade.targetPct=1,2', '--heatmap', 'or_bars,trade.targetPct',
        '--results-db', path.join(dir, 'results.db')]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/--heatmap or_bars,trade.targetPct is drawn in the --report file, and no --report was given/);
      expect(r.stderr).to.match(/Add --report sweep.html/);
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    });
  });
});
