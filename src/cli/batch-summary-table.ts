/**
 * The end-of-batch summary: one row per job on a terminal; the summary JSON otherwise (for logs and cron mail).
 */
import Table from 'cli-table3';
import type { JobCheck } from '../batch/check-batch.js';
import type { JobSummary } from '../batch/job-summary.js';
import { formatCombination } from '../sweep/build-grid.js';
import type { BatchSummary } from '../batch/run-batch.js';
import { formatCount, formatQuantity } from '../report/format-number.js';
import { fitTable } from '../report/fit-table.js';

const count = (v: number | undefined) => formatCount(v, '');
const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${formatQuantity(ms / 1000, 'seconds')} s`);

export function renderBatchSummary(summary: BatchSummary, tty: boolean): string {
  if (!tty) return JSON.stringify(summary);
  const t = new Table({
    head: ['job', 'status', 'run', 'range', 'ticker-days', 'signals', 'failures', 'time'],
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const j of summary.jobs) {
    t.push([
      j.name,
      j.status,
      j.run_id === null ? '' : `#${j.run_id}${j.resumed ? ' (resumed)' : ''}`,
      j.from ? `${j.from} .. ${j.to}` : '',
      count(j.ticker_days ?? undefined),
      count(j.signals ?? undefined),
      count(j.failures ?? undefined),
      seconds(j.wall_ms),
    ]);
  }
  const b = summary.batch;
  const lines = [`Batch ${b.name} #${b.id}: ${b.status} in ${seconds(b.wall_ms)} (results in ${b.results_db})`, fitTable(t)];
  for (const j of summary.jobs) if (j.sweep) lines.push(`  ${j.name}: ${describeSweepJob(j.sweep)}`);
  for (const j of summary.jobs) if (j.error) lines.push(`  ${j.name}: ${j.error}`);
  return lines.join('\n');
}

/** A sweep job's line under the table: its sweep, its best combination (the run the table shows) and, when run now, its verdicts. */
function describeSweepJob(s: NonNullable<JobSummary['sweep']>): string {
  const figure = (v: number | null) => (v === null ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  const best = s.best
    ? `best #${s.best.run_id} ${formatCombination(s.best.values)} (${s.objective} ${figure(s.best.objective)}, ${s.best.trades} trades)`
    : 'no combination ranked';
  const wf = s.walk_forward_objective === null ? '' : `; walk-forward out of sample ${figure(s.walk_forward_objective)}`;
  const pbo = s.pbo ? `; PBO ${s.pbo.pbo.toFixed(2)} (${s.pbo.verdict})` : '';
  return `sweep #${s.sweep_id}, ${s.combinations} combinations by ${s.objective}; ${best}${wf}${pbo}`;
}

/** `batch --check`: one row per job with its plan's hash (the whole plans in the JSON), and what is wrong with the broken ones. */
export function renderBatchCheck(checks: JobCheck[], tty: boolean): string {
  if (!tty) return JSON.stringify(checks);
  const t = new Table({ head: ['job', 'ok', 'scanner', 'range', 'tickers', 'threads', 'plan', 'sweep'], style: { head: [], border: [] } });
  for (const c of checks) {
    t.push([c.name, c.ok ? 'yes' : 'NO', c.scanner ?? '', c.from ? `${c.from} .. ${c.to}` : '', c.tickers ?? '', c.threads ?? '', c.plan_hash?.slice(0, 12) ?? '',
      c.sweep ? `${formatCount(c.sweep.combinations)} combinations` : '']);
  }
  return [fitTable(t), ...checks.filter((c) => !c.ok).map((c) => `  ${c.error}`)].join('\n');
}
