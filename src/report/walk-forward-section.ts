/**
 * The walk-forward part of the sweep's `--report` page: the stitched out-of-sample equity (end of each test
 * day, compounding from the capital through the windows), drawn one line segment per window in its own colour
 * and named in the legend by the combination chosen on that window's train days, so a reader sees which choice
 * made or lost what; then each window's train and test objective, the stitched statistics and the in-sample vs
 * out-of-sample gap, the figures the terminal prints. Pure: the sweep in, HTML and the chart's data out; the
 * page script only hands the data to Chart.js.
 */
import { formatCombination } from '../sweep/build-grid.js';
import type { SweepResult } from '../sweep/sweep-options.js';
import { escapeHtml, escapeScript } from './build-html-report.js';

/** What the page's script draws: one dataset per window over the test days, null off its days. */
export interface WalkForwardChart {
  capital: number;
  labels: string[];
  windows: { label: string; points: (number | null)[] }[];
}

/** Distinct colours for adjacent windows (cycled): the line changes colour where the choice changes hands. */
const COLOURS = ['#3563e9', '#e9833a', '#1a9e6a', '#9b51e0', '#d64545', '#0f9bb5', '#b58a0f', '#6b7385'];

export function buildWalkForwardChart(sweep: SweepResult): WalkForwardChart | null {
  const wf = sweep.overfitting.walkForward;
  if (!wf) return null;
  const labels = wf.outOfSample.equity.map((e) => e.date);
  const equity = wf.outOfSample.equity.map((e) => e.equity);
  const windows = wf.steps.map((s) => {
    const points: (number | null)[] = labels.map(() => null);
    // A window's line starts at the previous window's last point, so the stitched curve has no gap.
    labels.forEach((d, i) => {
      if (d >= s.window.test[0] && d <= s.window.test[1]) {
        points[i] = equity[i];
        if (i > 0 && points[i - 1] === null) points[i - 1] = equity[i - 1];
      }
    });
    return { label: `window ${s.window.index}: ${describeChoice(sweep, s.chosen)}`, points };
  });
  // The capital the equity compounds from: the first test day's equity less that day's P&L.
  const capital = wf.outOfSample.daily.length ? wf.outOfSample.equity[0].equity - wf.outOfSample.daily[0].pnl : 0;
  return { capital, labels, windows };
}

function describeChoice(sweep: SweepResult, chosen: number | null): string {
  if (chosen === null) return 'none eligible (flat)';
  const c = sweep.combinations[chosen];
  return `#${c.result.run.id} ${formatCombination(c.values)}`;
}

export function renderWalkForwardSection(sweep: SweepResult): string {
  const wf = sweep.overfitting.walkForward;
  if (!wf) {
    const note = sweep.overfitting.notes.find((n) => n.startsWith('walk-forward'));
    const why = note ?? 'the sweep ran without --walk-forward (add --walk-forward --train N --test M)';
    return `  <section class="card" id="no-walk-forward"><figcaption>Walk-forward <span>${escapeHtml(why)}</span></figcaption></section>\n`;
  }
  const chart = buildWalkForwardChart(sweep)!;
  const shape = `${wf.shape.anchored ? 'anchored' : 'rolling'}, train ${wf.shape.train}, test ${wf.shape.test} trading days`;
  const o = wf.outOfSample;
  const pnl = o.trades.reduce((a, t) => a + t.pnl, 0);
  const g = wf.gap;
  const gap = g.windows === 0
    ? 'In-sample vs out-of-sample gap: none (no window has both a train and a test objective).'
    : `In-sample vs out-of-sample gap: mean train ${wf.objective} ${showFigure(g.inSample)}, mean test ${showFigure(g.outOfSample)}, gap ${showFigure(g.difference)} over ${g.windows} window(s); positive: the in-sample figures overstate what the choice delivers.`;
  const rows = wf.steps.map((s) => `<tr data-window="${s.window.index}">${[
    cell(String(s.window.index)), cell(`${s.window.train[0]}..${s.window.train[1]} (${s.window.trainDays})`),
    cell(`${s.window.test[0]}..${s.window.test[1]} (${s.window.testDays})`), cell(describeChoice(sweep, s.chosen)),
    cell(showFigure(s.train)), cell(showFigure(s.test)), cell(showFigure(s.train === null || s.test === null ? null : s.train - s.test)),
    cell(`${s.trainTrades} / ${s.testTrades}`),
  ].join('')}</tr>\n`).join('');
  return `  <section class="card">
    <figcaption>Walk-forward, out of sample <span>${escapeHtml(`${shape}; each window's combination chosen by ${wf.objective} on its train days, traded on its test days; equity at the end of each test day, from the capital through the windows`)}</span></figcaption>
    <div class="chart tall"><canvas id="wf-equity"></canvas></div>
    <p id="wf-stitched">${escapeHtml(`Stitched: ${o.daily.length} test day(s), ${o.trades.length} trade(s), ${wf.objective} ${showFigure(o.objective)}, P&L $${pnl.toFixed(2)}${chart.capital > 0 ? ` (${((pnl / chart.capital) * 100).toFixed(2)} %)` : ''}.`)}</p>
    <p id="wf-gap">${escapeHtml(gap)}</p>
    <div class="tablewrap"><table id="wf-windows">
<thead><tr>${['window', 'train', 'test', 'chosen', `train ${wf.objective}`, `test ${wf.objective}`, 'train − test', 'trades train / test'].map((h) => `<th class="text">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}</tbody></table></div>
  </section>
<script id="wf-data" type="application/json">${escapeScript(JSON.stringify(chart))}</script>
`;
}

function cell(s: string): string {
  return `<td class="text">${escapeHtml(s)}</td>`;
}

/** A figure as the tables show it: integers whole, others to 2 decimals, none as a dash (as the terminal). */
export function showFigure(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Draws #wf-equity from #wf-data with the page's Chart.js; exposes the chart for whoever inspects the page. */
export const WALK_FORWARD_SCRIPT = `
(function () {
  var canvas = document.getElementById('wf-equity');
  if (!canvas || typeof Chart === 'undefined') return;
  var data = JSON.parse(document.getElementById('wf-data').textContent);
  var COLOURS = ${JSON.stringify(COLOURS)};
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var datasets = data.windows.map(function (w, k) {
    var colour = COLOURS[k % COLOURS.length];
    return { label: w.label, data: w.points, borderColor: colour, backgroundColor: colour, pointRadius: 2, borderWidth: 2, tension: 0, spanGaps: false };
  });
  datasets.push({ label: 'capital', data: data.labels.map(function () { return data.capital; }), borderColor: '#8a93a6', borderDash: [5, 4], pointRadius: 0, borderWidth: 1, fill: false });
  new Chart(canvas, {
    type: 'line',
    data: { labels: data.labels, datasets: datasets },
    options: { plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }, interaction: { mode: 'index', intersect: false },
      scales: { y: { ticks: { callback: function (v) { return '$' + Number(v).toLocaleString('en-US'); } } } } },
  });
})();
`;
