/**
 * The `--report` HTML file: one self-contained page (Chart.js and the data inlined, no network needed) with
 * headline figures, the Performance Summary, the equity curve (with the benchmark), drawdown, the return
 * distribution, signals by time of day, the monthly-returns heatmap, MAE/MFE histograms, breakdowns and a
 * sortable trade table. Pure: data and the charting library's source in, a string out.
 * Larger than most files because the page's CSS and script live here, next to the data they draw.
 */
import type { ReportData } from './report-data.js';

/** `sections`: extra HTML placed under the headline figures (the lookahead audit's, for `barwise audit --report`). */
export function buildHtmlReport(data: ReportData, chartLibrary: string, sections = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)} · barwise</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <div class="brand">barwise</div>
  <h1>${escapeHtml(data.title)}</h1>
  <p class="sub">${escapeHtml(data.subtitle)}</p>
  <p class="rules">${escapeHtml(data.rules)}</p>
</header>
<main>
  <section class="kpis" id="kpis"></section>
${sections}  <section class="grid">
${data.summary.map(renderSummaryFigure).join('')}    <figure class="card wide"><figcaption>Equity <span>marked to market at each bar close${data.equity.benchmark_ticker ? `, beside ${escapeHtml(data.equity.benchmark_ticker)} bought and held (scaled to the capital, at each session's close)` : ''}</span></figcaption><div class="chart tall"><canvas id="equity"></canvas></div></figure>
    <figure class="card wide"><figcaption>Drawdown <span>% below the running peak</span></figcaption><div class="chart short"><canvas id="drawdown"></canvas></div></figure>
    <figure class="card"><figcaption>Return distribution <span>trades per return-% bin</span></figcaption><div class="chart"><canvas id="returns"></canvas></div></figure>
    <figure class="card"><figcaption>Signals by time of day <span>New York, per half hour</span></figcaption><div class="chart"><canvas id="bytime"></canvas></div></figure>
    <figure class="card wide"><figcaption>Monthly returns <span>% of the equity at the start of each month</span></figcaption><div class="tablewrap"><table id="monthly" class="heatmap"></table></div></figure>
    <figure class="card"><figcaption>MAE distribution <span>trades per bin of maximum adverse excursion, % of entry</span></figcaption><div class="chart"><canvas id="mae"></canvas></div></figure>
    <figure class="card"><figcaption>MFE distribution <span>trades per bin of maximum favourable excursion, % of entry</span></figcaption><div class="chart"><canvas id="mfe"></canvas></div></figure>
${data.breakdowns.map(renderBreakdownFigure).join('')}  </section>
  <section class="card">
    <figcaption>Trades <span id="tradecount"></span> <span class="hint">click a column to sort</span></figcaption>
    <div class="tablewrap"><table id="trades" class="trades"></table></div>
  </section>
</main>
<footer>Statistics are defined in docs/trades.md. Within a bar, a stop is assumed to fill before a target.</footer>
<script>${escapeScript(chartLibrary)}</script>
<script id="report-data" type="application/json">${escapeScript(JSON.stringify(data))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** A Performance Summary's card; the page's script fills in its table. */
function renderSummaryFigure(t: ReportData['summary'][number]): string {
  const note = t.note ? ` <span>${escapeHtml(t.note)}</span>` : '';
  return `    <figure class="card wide"><figcaption>${escapeHtml(t.label)}${note}</figcaption><div id="summary-${escapeHtml(t.key)}"></div></figure>\n`;
}

/** A breakdown's card; the page's script fills in its table. */
function renderBreakdownFigure(b: ReportData['breakdowns'][number]): string {
  const note = b.note ? ` <span>${escapeHtml(b.note)}</span>` : '';
  return `    <figure class="card"><figcaption>${escapeHtml(b.label)}${note}</figcaption><div id="breakdown-${escapeHtml(b.key)}"></div></figure>\n`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Nothing inlined may end its <script> element early. */
export function escapeScript(s: string): string {
  return s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export const CSS = `
:root { --bg:#f5f6f8; --card:#fff; --ink:#1d2433; --muted:#6b7385; --line:#e4e7ec; --up:#1a9e6a; --down:#d64545; --accent:#3563e9; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
header { padding:24px 32px 8px; }
.brand { font-weight:700; letter-spacing:.08em; text-transform:uppercase; font-size:11px; color:var(--accent); }
h1 { margin:4px 0 2px; font-size:24px; }
.sub, .rules { margin:2px 0; color:var(--muted); }
.rules { font-size:12px; }
main { padding:8px 32px 24px; display:flex; flex-direction:column; gap:16px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fill,minmax(104px,1fr)); gap:10px; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:10px 12px; }
.kpi .label { color:var(--muted); font-size:12px; }
.kpi .value { font-size:20px; font-weight:600; margin-top:2px; font-variant-numeric:tabular-nums; }
.kpi .note { color:var(--muted); font-size:11px; }
.up { color:var(--up); } .down { color:var(--down); }
.grid { display:grid; grid-template-columns:repeat(2,minmax(0,1fr)); gap:16px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; margin:0; min-width:0; }
.card.wide { grid-column:1 / -1; }
figcaption { font-weight:600; margin-bottom:8px; }
figcaption span { color:var(--muted); font-weight:400; font-size:12px; margin-left:6px; }
figcaption .hint { float:right; }
.chart { position:relative; height:260px; }
.chart.tall { height:300px; } .chart.short { height:160px; }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; font-size:12.5px; }
th, td { padding:5px 8px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap; }
th:first-child, td:first-child, .trades td.text, .trades th.text { text-align:left; }
th { color:var(--muted); font-weight:600; background:#fafbfc; position:sticky; top:0; }
.trades th { cursor:pointer; user-select:none; }
.trades th.sorted-asc::after { content:" \\25B2"; font-size:9px; } .trades th.sorted-desc::after { content:" \\25BC"; font-size:9px; }
.tablewrap { max-height:560px; overflow:auto; }
tbody tr:hover { background:#f7f9ff; }
.summary td:first-child { color:var(--muted); } .summary { max-width:720px; }
.heatmap td { text-align:center; min-width:52px; } .heatmap td.empty { background:#fafbfc; }
footer { color:var(--muted); font-size:12px; padding:0 32px 24px; }
@media (max-width:900px) { .grid { grid-template-columns:1fr; } }
`;

/** The page's script: draws from the inlined JSON. Plain ES2017, no TypeScript. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var css = getComputedStyle(document.documentElement);
  var UP = css.getPropertyValue('--up').trim(), DOWN = css.getPropertyValue('--down').trim(), ACCENT = css.getPropertyValue('--accent').trim();
  function num(v, d) { return v === null || v === undefined ? '–' : Number(v).toFixed(d === undefined ? 2 : d); }
  function pct(v) { return v === null || v === undefined ? '–' : Number(v).toFixed(2) + '%'; }
  function usd(v) { if (v === null || v === undefined) return '–'; var a = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); return (v < 0 ? '-$' : '$') + a; }
  function tone(v) { return v > 0 ? 'up' : v < 0 ? 'down' : ''; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }

  var box = document.getElementById('kpis');
  data.kpis.forEach(function (k) {
    var d = el('div', 'kpi');
    d.appendChild(el('div', 'label', k.label));
    d.appendChild(el('div', 'value ' + k.tone, k.value));
    d.appendChild(el('div', 'note', k.note));
    box.appendChild(d);
  });

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#6b7385';
  Chart.defaults.borderColor = '#eceef2';
  var charts = [];
  var noLegend = { legend: { display: false } };
  charts.push(new Chart(document.getElementById('equity'), {
    type: 'line',
    data: { labels: data.equity.labels, datasets: [{ label: 'Equity', data: data.equity.equity, borderColor: ACCENT, backgroundColor: 'rgba(53,99,233,.08)', fill: 'origin', pointRadius: 0, borderWidth: 2, tension: 0 }]
      .concat(data.equity.benchmark ? [{ label: data.equity.benchmark_ticker + ' buy and hold', data: data.equity.benchmark, borderColor: '#8a93a6', borderDash: [5, 4], fill: false, pointRadius: 0, borderWidth: 1.5, tension: 0, stepped: true }] : []) },
    options: { plugins: Object.assign({ tooltip: { callbacks: { label: function (c) { return c.dataset.label + ' ' + usd(c.parsed.y); } } } },
      data.equity.benchmark ? { legend: { position: 'bottom', labels: { boxWidth: 12 } } } : noLegend),
      scales: { x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } }, y: { ticks: { callback: function (v) { return '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: 0 }); } } } },
      interaction: { mode: 'index', intersect: false } },
  }));
  charts.push(new Chart(document.getElementById('drawdown'), {
    type: 'line',
    data: { labels: data.equity.labels, datasets: [{ label: 'Drawdown', data: data.equity.drawdown_pct, borderColor: DOWN, backgroundColor: 'rgba(214,69,69,.15)', fill: 'origin', pointRadius: 0, borderWidth: 1.5, tension: 0 }] },
    options: { plugins: noLegend, scales: { x: { ticks: { maxTicksLimit: 10, maxRotation: 0 } }, y: { max: 0, ticks: { callback: function (v) { return v + '%'; } } } },
      interaction: { mode: 'index', intersect: false } },
  }));
  var e = data.returns.edges;
  charts.push(new Chart(document.getElementById('returns'), {
    type: 'bar',
    data: { labels: data.returns.counts.map(function (_, i) { return num(e[i]) + '…' + num(e[i + 1]) + '%'; }),
      datasets: [{ label: 'Trades', data: data.returns.counts, backgroundColor: data.returns.counts.map(function (_, i) { return e[i] >= 0 ? UP : DOWN; }), barPercentage: 1, categoryPercentage: .92 }] },
    options: { plugins: noLegend, scales: { x: { ticks: { maxRotation: 60, autoSkip: true } }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }));
  charts.push(new Chart(document.getElementById('bytime'), {
    type: 'bar',
    data: { labels: data.by_time.labels, datasets: [
      { label: 'Signals', data: data.by_time.signals, backgroundColor: '#c9d3f6', stack: 'signals' },
      { label: 'Winning trades', data: data.by_time.wins, backgroundColor: UP, stack: 'trades' },
      { label: 'Losing trades', data: data.by_time.losses, backgroundColor: DOWN, stack: 'trades' },
    ] },
    options: { plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }));

  function histogram(id, h, colour) {
    charts.push(new Chart(document.getElementById(id), {
      type: 'bar',
      data: { labels: h.counts.map(function (_, i) { return num(h.edges[i]) + '…' + num(h.edges[i + 1]) + '%'; }),
        datasets: [{ label: 'Trades', data: h.counts, backgroundColor: colour, barPercentage: 1, categoryPercentage: .92 }] },
      options: { plugins: noLegend, scales: { x: { ticks: { maxRotation: 60, autoSkip: true } }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }));
  }
  histogram('mae', data.excursions.mae, DOWN);
  histogram('mfe', data.excursions.mfe, UP);

  data.summary.forEach(function (s) {
    var t = el('table', 'summary');
    var h = t.createTHead().insertRow();
    ['', 'All', 'Long', 'Short'].forEach(function (c) { h.appendChild(el('th', '', c)); });
    var b = t.createTBody();
    s.rows.forEach(function (r) {
      var tr = b.insertRow();
      tr.appendChild(el('td', '', r.label));
      r.cells.forEach(function (c, i) { tr.appendChild(el('td', r.tones[i], c)); });
    });
    document.getElementById('summary-' + s.key).appendChild(t);
  });

  (function monthly() {
    var t = document.getElementById('monthly');
    var h = t.createTHead().insertRow();
    ['year', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year'].forEach(function (c) { h.appendChild(el('th', '', c)); });
    var b = t.createTBody();
    var top = 0;
    data.monthly.cells.forEach(function (row) { row.forEach(function (v) { if (v !== null && Math.abs(v) > top) top = Math.abs(v); }); });
    function shade(td, v) {
      if (v === null) { td.className = 'empty'; return; }
      var a = top > 0 ? 0.12 + 0.6 * Math.abs(v) / top : 0;
      td.style.background = v >= 0 ? 'rgba(26,158,106,' + a.toFixed(3) + ')' : 'rgba(214,69,69,' + a.toFixed(3) + ')';
    }
    data.monthly.years.forEach(function (year, y) {
      var tr = b.insertRow();
      tr.appendChild(el('td', '', year));
      data.monthly.cells[y].forEach(function (v) { var td = el('td', '', v === null ? '' : num(v, 1)); shade(td, v); tr.appendChild(td); });
      tr.appendChild(el('td', tone(data.monthly.year_pct[y]), pct(data.monthly.year_pct[y])));
    });
  })();

  function breakdown(id, rows, label) {
    var t = el('table');
    var h = t.createTHead().insertRow();
    [label, 'trades', 'win rate', 'P&L', 'avg return'].forEach(function (c) { h.appendChild(el('th', '', c)); });
    var b = t.createTBody();
    rows.forEach(function (r) {
      var tr = b.insertRow();
      [r.key, r.trades, pct(r.win_rate_pct), usd(r.pnl), pct(r.avg_return_pct)].forEach(function (v, i) {
        tr.appendChild(el('td', i === 3 || i === 4 ? tone(i === 3 ? r.pnl : r.avg_return_pct) : '', String(v)));
      });
    });
    document.getElementById(id).appendChild(t);
  }
  data.breakdowns.forEach(function (b) { breakdown('breakdown-' + b.key, b.rows, b.column); });

  var cols = [
    ['date', 'date', 1], ['ticker', 'ticker', 1], ['direction', 'dir', 1], ['signal_time', 'signal', 1],
    ['entry_time', 'entry', 1], ['entry_price', 'entry $', 0], ['exit_time', 'exit', 1], ['exit_price', 'exit $', 0],
    ['exit_reason', 'reason', 1], ['bars_held', 'bars', 0], ['shares', 'shares', 0], ['pnl', 'P&L', 0],
    ['return_pct', 'return %', 0], ['r_multiple', 'R', 0], ['mae_pct', 'MAE %', 0], ['mfe_pct', 'MFE %', 0],
  ];
  var table = document.getElementById('trades');
  var head = table.createTHead().insertRow();
  var body = table.createTBody();
  var rows = data.trades.slice();
  var sort = { key: null, dir: 1 };
  document.getElementById('tradecount').textContent = rows.length + ' trade(s)';
  cols.forEach(function (c) {
    var th = el('th', c[2] ? 'text' : '', c[1]);
    th.dataset.key = c[0];
    th.addEventListener('click', function () {
      sort.dir = sort.key === c[0] ? -sort.dir : 1;
      sort.key = c[0];
      rows.sort(function (a, b) {
        var x = a[c[0]], y = b[c[0]];
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sort.dir;
      });
      Array.prototype.forEach.call(head.cells, function (h) { h.className = (h.dataset.key === c[0] ? (sort.dir > 0 ? 'sorted-asc ' : 'sorted-desc ') : '') + (h.classList.contains('text') ? 'text' : ''); });
      draw();
    });
    head.appendChild(th);
  });
  function cell(t, key) {
    var v = t[key];
    if (v === null) return '–';
    if (key === 'entry_price' || key === 'exit_price') return num(v, 2);
    if (key === 'pnl') return usd(v);
    if (key === 'return_pct' || key === 'mae_pct' || key === 'mfe_pct' || key === 'r_multiple') return num(v);
    if (key.slice(-5) === '_time') return String(v).slice(0, 5);
    return String(v);
  }
  function draw() {
    var frag = document.createDocumentFragment();
    rows.forEach(function (t) {
      var tr = document.createElement('tr');
      cols.forEach(function (c) {
        var td = el('td', (c[2] ? 'text ' : '') + (c[0] === 'pnl' || c[0] === 'return_pct' || c[0] === 'r_multiple' ? tone(t[c[0]]) : ''), cell(t, c[0]));
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
  }
  draw();
  window.__barwiseReport = { charts: charts.length, trades: rows.length, rendered: true };
})();
`;
