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

function renderRuns(runs: RunRow[]): string {
  if (runs.length === 0) return 'No runs recorded yet.';
  const t = new Table({ head: ['run', 'started', 'status', 'scanner', 'job', 'range', 'ticker-days', 'signals', 'failures', 'time'], style: { head: [], border: [] } });
  for (const r of runs) {
    t.push([`#${r.id}`, r.started_at.slice(0, 19).replace('T', ' '), r.status, r.scanner_name, r.job ?? '', `${r.from_date} .. ${r.to_date}`,
      r.ticker_days ?? '', r.signal_count ?? '', r.failure_count ?? '', r.wall_ms === null ? '' : `${(r.wall_ms / 1000).toFixed(1)} s`]);
  }
  return t.toString();
}

function renderComparison(c: RunComparison): string {
  const line = (s: SignalKeyed) => `${s.signal_date} ${s.signal_time} ${s.ticker} ${s.direction ?? ''}`.trimEnd();
  const out = [
    `Run #${c.a.id} (${c.a.from_date} .. ${c.a.to_date}) -> run #${c.b.id} (${c.b.from_date} .. ${c.b.to_date}), ${c.b.scanner_name}`,
  ];
  if (c.warning) out.push(`warning: ${c.warning}`);
  out.push(c.overlap
    ? `On the ${c.overlap.from} .. ${c.overlap.to} both covered: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed, ${c.unchanged} unchanged`
    : 'The runs cover no common dates.');
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`${title}:`, ...items.slice(0, 20).map((s) => `  ${s}`));
    if (items.length > 20) out.push(`  … ${items.length - 20} more (--json for all)`);
  };
  list('Added', c.added.map((s) => `+ ${line(s)}`));
  list('Removed', c.removed.map((s) => `- ${line(s)}`));
  list('Changed', c.changed.map(({ a, b }) => `~ ${line(b)} (strength ${a.pattern_strength} -> ${b.pattern_strength})`));
  if (c.new_dates.signals > 0) out.push(`New dates (${c.new_dates.dates.join(', ')}): ${c.new_dates.signals} signal(s)`);
  if (c.dropped_dates.signals > 0) out.push(`Dates no longer covered (${c.dropped_dates.dates.join(', ')}): ${c.dropped_dates.signals} signal(s)`);
  const t = new Table({ head: ['', `#${c.a.id}`, `#${c.b.id}`, 'change'], style: { head: [], border: [] } });
  for (const d of c.deltas) t.push([d.metric, d.a ?? '', d.b ?? '', d.delta === null ? '' : d.delta > 0 ? `+${d.delta}` : String(d.delta)]);
  out.push(t.toString());
  return out.join('\n');
}
