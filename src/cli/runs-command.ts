/**
 * `barwise runs`: the recorded runs, latest first; `--compare A B` (or `--compare B`: against the previous run
 * of the same scanner) shows what changed.
 */
import Table from 'cli-table3';
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { compareRuns, type RunComparison, type SignalKeyed } from '../results/compare-runs.js';
import { findPreviousRun, listRuns, openRunsReader, type RunRow } from '../results/read-runs.js';
import { EXIT } from './exit.js';
import { formatCount, formatQuantity, type Quantity } from '../report/format-number.js';
import { formatDateRanges } from '../report/format-date-ranges.js';
import { fitTable, listTop } from '../report/fit-table.js';
import { listStatistics } from '../stats/statistics.js';

export function runsBuilder(y: Argv) {
  return y
    .option('results-db', { type: 'string', default: DEFAULTS.resultsDb, describe: 'Results database' })
    .option('limit', { type: 'number', default: 20, describe: 'Show this many runs' })
    .option('scanner', { type: 'string', describe: 'Only runs of this scanner (file path or name)' })
    .option('compare', { type: 'number', array: true, describe: 'Compare run A with run B (--compare A B), or B with the previous run of its scanner (--compare B)' })
    .option('json', { type: 'boolean', describe: 'Print JSON [default: when not a terminal]' });
}

type RunsArgs = Awaited<ReturnType<ReturnType<typeof runsBuilder>['parse']>>;

export async function runsHandler(argv: RunsArgs): Promise<number> {
  const json = argv.json ?? !process.stdout.isTTY;
  const db = openRunsReader(argv['results-db']);
  try {
    if (argv.compare) {
      const ids = argv.compare;
      if (ids.length < 1 || ids.length > 2 || ids.some((n) => !Number.isInteger(n))) {
        throw new BarwiseError('USAGE', '--compare takes one or two run ids: --compare A B, or --compare B for the run before B');
      }
      let [a, b] = ids;
      if (b === undefined) {
        b = a;
        const prev = findPreviousRun(db, b);
        if (!prev) throw new BarwiseError('RUN_NOT_FOUND', `run #${b} has no earlier finished run of the same scanner`, 'Name both runs: --compare A B.');
        a = prev.id;
      }
      const c = compareRuns(db, a, b);
      process.stdout.write((json ? JSON.stringify(c) : renderComparison(c)) + '\n');
      return EXIT.ok;
    }
    const runs = listRuns(db, { limit: argv.limit, scanner: argv.scanner });
    process.stdout.write((json ? JSON.stringify(runs) : renderRuns(runs)) + '\n');
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/** The recorded runs, latest first: mode, universe, status, P&L when the run traded, and when it started (with the zone). */
export function renderRuns(runs: RunRow[], o: { timeZone?: string; width?: number } = {}): string {
  if (runs.length === 0) return 'No runs recorded yet.';
  // The job column only when a batch made one of the runs: the table is wide enough as it is.
  const jobs = runs.some((r) => r.job !== null);
  const t = new Table({
    head: ['run', 'started', 'status', 'mode', 'scanner', ...(jobs ? ['job'] : []), 'range', 'tickers', 'ticker-days', 'signals', 'failures', 'P&L', 'time'],
    colAligns: ['right', 'left', 'left', 'left', 'left', ...(jobs ? ['left' as const] : []), 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const r of runs) {
    t.push([`#${r.id}`, formatStartTime(r.started_at, o.timeZone), r.status, r.mode, r.scanner_name, ...(jobs ? [r.job ?? ''] : []), `${r.from_date} .. ${r.to_date}`,
      formatCount(r.universe), formatCount(r.ticker_days, ''), formatCount(r.signal_count, ''), formatCount(r.failure_count, ''),
      formatQuantity(r.total_pnl, 'usd', { none: '' }), r.wall_ms === null ? '' : `${formatQuantity(r.wall_ms / 1000, 'seconds')} s`]);
  }
  return fitTable(t, o.width);
}

/** `2026-12-02 03:24:19 UTC`: the start in the machine's time zone (or `timeZone`), with the zone's name. */
export function formatStartTime(iso: string, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${p('timeZoneName')}`;
}

/** Shown before `… and N more`: the comparison's lists of signals and tickers. */
const SHOWN = 20;

export function renderComparison(c: RunComparison): string {
  const line = (s: SignalKeyed) => `${s.signal_date} ${s.signal_time} ${s.ticker} ${s.direction ?? ''}`.trimEnd();
  const n = formatCount;
  const out = [
    `Run #${c.a.id} (${c.a.from_date} .. ${c.a.to_date}, ${c.a.status}) -> run #${c.b.id} (${c.b.from_date} .. ${c.b.to_date}, ${c.b.status}), ${c.b.scanner_name}`,
  ];
  for (const w of c.warnings) out.push(`warning: ${w}`);
  out.push(c.overlap
    ? `On the ${n(c.common_ticker_days)} ticker-days both runs finished (${c.overlap.from} .. ${c.overlap.to}): ${n(c.added.length)} added, ${n(c.removed.length)} removed, ${n(c.changed.length)} changed, ${n(c.unchanged)} unchanged`
    : 'The runs finished no ticker-day in common: no signal is compared.');
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`${title}:`, ...listTop(items.map((s) => `  ${s}`), SHOWN).map((l, i) => (i === SHOWN ? `${l} (--json for all)` : l)));
  };
  list('Added', c.added.map((s) => `+ ${line(s)}`));
  list('Removed', c.removed.map((s) => `- ${line(s)}`));
  list('Changed', c.changed.map(({ a, b }) => `~ ${line(b)} (strength ${formatQuantity(a.pattern_strength, 'strength')} -> ${formatQuantity(b.pattern_strength, 'strength')})`));
  out.push(...describeOneSided(c.only_a, c.a.id, c.b.id), ...describeOneSided(c.only_b, c.b.id, c.a.id));
  const t = new Table({ head: ['', `#${c.a.id}`, `#${c.b.id}`, 'change'], colAligns: ['left', 'right', 'right', 'right'], style: { head: [], border: [] } });
  for (const d of c.deltas) {
    // A figure neither run has (trade statistics of runs that did not trade) is no row.
    if (d.a === null && d.b === null) continue;
    const q = quantityOfMetric(d.metric);
    t.push([d.metric, formatQuantity(d.a, q, { none: '' }), formatQuantity(d.b, q, { none: '' }), formatQuantity(d.delta, q, { none: '', signed: true })]);
  }
  out.push(fitTable(t));
  return out.join('\n');
}

/** `Only in #A: 708 ticker-days (35 signals): 20 tickers #B did not scan (…); …` — or nothing when there are none. */
function describeOneSided(o: RunComparison['only_a'], self: number, other: number): string[] {
  if (o.ticker_days === 0) return [];
  const n = formatCount;
  const lines = [`Only in #${self}: ${n(o.ticker_days)} ticker-day(s), ${n(o.signals)} signal(s), not compared:`];
  if (o.other_universe.ticker_days > 0) {
    const shown = o.other_universe.tickers.slice(0, 10).join(', ');
    const more = o.other_universe.tickers.length > 10 ? ` … and ${n(o.other_universe.tickers.length - 10)} more` : '';
    lines.push(`  ${n(o.other_universe.ticker_days)} on ${n(o.other_universe.tickers.length)} ticker(s) #${other} did not scan: ${shown}${more}`);
  }
  if (o.other_range.ticker_days > 0) lines.push(`  ${n(o.other_range.ticker_days)} on dates outside #${other}'s range: ${formatDateRanges(o.other_range.dates)}`);
  if (o.unfinished.ticker_days > 0) lines.push(`  ${n(o.unfinished.ticker_days)} #${other} did not finish (interrupted, or failed): ${formatDateRanges(o.unfinished.dates)}`);
  return lines;
}

/** How a compared figure reads: a statistic by its unit, a Performance Summary row by its own, counts otherwise. */
function quantityOfMetric(metric: string): Quantity {
  const [key, row] = metric.split('.');
  const stat = listStatistics().find((st) => st.key === key);
  const unit = row ? stat?.rows?.find((r) => r.key === row)?.unit : stat?.unit;
  return unit === 'usd' ? 'usd' : unit === 'pct' ? 'pct' : unit === 'ratio' || unit === 'r' ? 'ratio' : unit === 'bars' ? 'bars' : 'count';
}
