/**
 * The sweep's `--report` HTML file: one self-contained page with the ranking (sortable), a heatmap of the
 * objective over two swept parameters, and the best combination's full run report embedded in an iframe (its
 * own page, Chart.js inlined, so it draws as `backtest --report` of that combination would); with
 * --walk-forward, the stitched out-of-sample equity (walk-forward-section.ts), for which the page inlines
 * Chart.js itself. Pure: the sweep
 * and the charting library's source in, a string out; the tables are written here, the page's script only sorts
 * and sizes the embedded report.
 */
import { formatCombination } from '../sweep/build-grid.js';
import type { HeatmapGrid } from '../sweep/heatmap-grid.js';
import type { CombinationResult, SweepResult } from '../sweep/sweep-options.js';
import { buildHtmlReport, CSS, escapeHtml, escapeScript } from './build-html-report.js';
import { buildReportData } from './report-data.js';
import { renderWalkForwardSection, showFigure as formatFigure, WALK_FORWARD_SCRIPT } from './walk-forward-section.js';

/** The ranking's statistic columns: header, statistic key. */
const STAT_COLUMNS: readonly [string, string][] = [
  ['win rate %', 'win_rate_pct'], ['PF', 'profit_factor'], ['expectancy $', 'expectancy'], ['max DD %', 'max_drawdown_pct'], ['Sharpe', 'sharpe'],
];

export function buildSweepReport(sweep: SweepResult, heatmap: HeatmapGrid | null, chartLibrary: string): string {
  const byIndex = new Map(sweep.combinations.map((c) => [c.index, c]));
  const best = byIndex.get(sweep.ranking[0])!;
  const few = sweep.combinations.filter((c) => c.belowMinTrades).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sweep #${sweep.sweepId} · barwise</title>
<style>${CSS}${SWEEP_CSS}</style>
</head>
<body>
<header>
  <div class="brand">barwise</div>
  <h1>Sweep #${sweep.sweepId}: ${sweep.combinations.length} combination(s) ranked by ${escapeHtml(sweep.objective)}</h1>
  <p class="sub">${escapeHtml(`${best.result.run.scanner.name} · ${best.result.run.from} to ${best.result.run.to} · status ${sweep.status}`)}</p>
  <p class="rules">${escapeHtml(`best: run #${best.result.run.id} (${formatCombination(best.values)})${sweep.minTrades > 0 ? ` · --min-trades ${sweep.minTrades}: ${few} combination(s) under it, ranked apart and marked` : ''}`)}</p>
</header>
<main>
  <section class="card">
    <figcaption>Ranking <span>highest ${escapeHtml(sweep.objective)} first; combinations under --min-trades after the others</span> <span class="hint">click a column to sort</span></figcaption>
    <div class="tablewrap"><table id="ranking" class="trades">
${renderRankingHead()}<tbody>
${sweep.ranking.map((i, k) => renderRankingRow(byIndex.get(i)!, k + 1, sweep.minTrades)).join('')}</tbody></table></div>
  </section>
${heatmap ? renderHeatmap(heatmap, sweep, byIndex) : '  <section class="card" id="no-heatmap"><figcaption>Heatmap <span>needs two swept parameters; this sweep has one</span></figcaption></section>\n'}${renderWalkForwardSection(sweep)}  <section class="card">
    <figcaption>Best combination <span>${escapeHtml(`run #${best.result.run.id}: ${formatCombination(best.values)}`)}, its full report</span></figcaption>
${renderBestReport(best, chartLibrary)}  </section>
</main>
<footer>Statistics are defined in docs/trades.md, the sweep in docs/sweeps.md. Each combination is a run of ${escapeHtml(best.result.run.results_db)} (\`barwise runs\`).</footer>
${sweep.overfitting.walkForward ? `<script>${escapeScript(chartLibrary)}</script>\n<script>${WALK_FORWARD_SCRIPT}</script>\n` : ''}<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function renderRankingHead(): string {
  const cols: [string, boolean][] = [['rank', false], ['run', false], ['combination', true], ['objective', false], ['trades', false],
    ...STAT_COLUMNS.map(([h]): [string, boolean] => [h, false]), ['status', true], ['min trades', true]];
  return `<thead><tr>${cols.map(([h, text]) => `<th${text ? ' class="text"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n`;
}

function renderRankingRow(c: CombinationResult, rank: number, minTrades: number): string {
  const s = (c.result.stats ?? {}) as unknown as Record<string, unknown>;
  const cells = [
    numberCell(rank), numberCell(c.result.run.id, `#${c.result.run.id}`), textCell(formatCombination(c.values)),
    numberCell(c.objective), numberCell(c.trades),
    ...STAT_COLUMNS.map(([, key]) => numberCell(typeof s[key] === 'number' ? s[key] as number : null)),
    textCell(c.result.run.status), textCell(c.belowMinTrades ? `under ${minTrades}` : ''),
  ];
  return `<tr data-index="${c.index}"${c.belowMinTrades ? ' class="few"' : ''}>${cells.join('')}</tr>\n`;
}

function numberCell(v: number | null, shown = formatFigure(v)): string {
  return `<td data-sort="${v === null || !Number.isFinite(v) ? '' : String(v)}">${escapeHtml(shown)}</td>`;
}

function textCell(s: string): string {
  return `<td class="text" data-sort="${escapeHtml(s)}">${escapeHtml(s)}</td>`;
}

function renderHeatmap(h: HeatmapGrid, sweep: SweepResult, byIndex: Map<number, CombinationResult>): string {
  const values = h.cells.flat().map((c) => c?.objective ?? null).filter((v): v is number => v !== null);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const fixed = Object.keys(h.fixed).length > 0
    ? `; the other swept parameters fixed at the best combination's values (run #${byIndex.get(h.best)!.result.run.id}): ${formatCombination(h.fixed)}`
    : '';
  const rows = h.yValues.map((yv, r) => `<tr><th class="text">${escapeHtml(String(yv))}</th>${h.cells[r].map((cell, k) => renderHeatCell(cell, lo, hi, h, r, k, byIndex)).join('')}</tr>\n`).join('');
  return `  <section class="card">
    <figcaption>Heatmap of ${escapeHtml(sweep.objective)} <span id="heatmap-caption">${escapeHtml(`${h.x} across, ${h.y} down${fixed}; green the highest, red the lowest; dashed: under --min-trades; empty: no combination run with those values`)}</span></figcaption>
    <div class="tablewrap"><table id="heatmap" class="heatmap" data-x="${escapeHtml(h.x)}" data-y="${escapeHtml(h.y)}">
<thead><tr><th class="text">${escapeHtml(`${h.y} \\ ${h.x}`)}</th>${h.xValues.map((v) => `<th>${escapeHtml(String(v))}</th>`).join('')}</tr></thead>
<tbody>
${rows}</tbody></table></div>
  </section>
`;
}

function renderHeatCell(cell: HeatmapGrid['cells'][number][number], lo: number, hi: number, h: HeatmapGrid, r: number, k: number, byIndex: Map<number, CombinationResult>): string {
  const at = `${h.x}=${h.xValues[k]} ${h.y}=${h.yValues[r]}`;
  if (cell === null) return `<td class="empty" title="${escapeHtml(`${at}: not run`)}"></td>`;
  const c = byIndex.get(cell.index)!;
  const title = escapeHtml(`${at}: run #${c.result.run.id}, ${formatFigure(cell.objective)}${c.belowMinTrades ? `, ${c.trades} trades: under --min-trades` : ''}`);
  const few = c.belowMinTrades ? ' few' : '';
  if (cell.objective === null) return `<td class="novalue${few}" data-index="${cell.index}" data-value="" title="${title}">–</td>`;
  // Red at the lowest value, green at the highest, linear in between; one value alone is green.
  const t = hi > lo ? (cell.objective - lo) / (hi - lo) : 1;
  const colour = `rgb(${mix(214, 26, t)},${mix(69, 158, t)},${mix(69, 106, t)})`;
  return `<td${few ? ' class="few"' : ''} data-index="${cell.index}" data-value="${cell.objective}" title="${title}" style="background:${colour};color:#fff">${escapeHtml(formatFigure(cell.objective))}</td>`;
}

function mix(a: number, b: number, t: number): number {
  return Math.round(a + (b - a) * t);
}

/** The best combination's run report, as its own document inside an iframe (its CSS and element ids are its own). */
function renderBestReport(best: CombinationResult, chartLibrary: string): string {
  if (!best.result.stats) return '    <p id="no-best-report">The best combination has no statistics (the sweep did not finish): no run report.</p>\n';
  const page = buildHtmlReport(buildReportData(best.result), chartLibrary);
  return `    <iframe id="best-report" title="run #${best.result.run.id}" srcdoc="${escapeHtml(page)}"></iframe>\n`;
}

const SWEEP_CSS = `
#ranking tr.few td { color:var(--muted); background:#fbf7ee; }
#heatmap { width:auto; min-width:360px; } .heatmap th { text-align:center; } .heatmap td.novalue { background:#eef0f4; }
.heatmap td.few { outline:2px dashed #fff; outline-offset:-4px; }
#best-report { width:100%; height:1200px; border:1px solid var(--line); border-radius:8px; background:var(--bg); }
`;

/** Sorts the ranking on a click (numbers by value, text by text, blanks last); fits the iframe to its page. */
const PAGE_SCRIPT = `
(function () {
  var table = document.getElementById('ranking');
  var head = table.tHead.rows[0];
  var body = table.tBodies[0];
  var sort = { col: -1, dir: 1 };
  Array.prototype.forEach.call(head.cells, function (th, col) {
    th.addEventListener('click', function () {
      sort.dir = sort.col === col ? -sort.dir : 1;
      sort.col = col;
      var text = th.classList.contains('text');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
        if (x === y) return 0;
        if (x === '') return 1;
        if (y === '') return -1;
        if (!text) { x = Number(x); y = Number(y); }
        return (x < y ? -1 : 1) * sort.dir;
      });
      Array.prototype.forEach.call(head.cells, function (h, i) { h.classList.remove('sorted-asc', 'sorted-desc'); if (i === col) h.classList.add(sort.dir > 0 ? 'sorted-asc' : 'sorted-desc'); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var frame = document.getElementById('best-report');
  function fit() {
    try { frame.style.height = (frame.contentDocument.documentElement.scrollHeight + 8) + 'px'; } catch (e) { /* keeps its fixed height */ }
  }
  if (frame) frame.addEventListener('load', fit);
  window.__barwiseSweepReport = { rows: body.rows.length, rendered: true };
})();
`;
