/**
 * The end-of-batch summary: one row per job on a terminal; the summary JSON otherwise (for logs and cron mail).
 */
import Table from 'cli-table3';
import type { JobCheck } from '../batch/check-batch.js';
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
  for (const j of summary.jobs) if (j.error) lines.push(`  ${j.name}: ${j.error}`);
  return lines.join('\n');
}

/** `batch --check`: one row per job with its plan's hash (the whole plans in the JSON), and what is wrong with the broken ones. */
export function renderBatchCheck(checks: JobCheck[], tty: boolean): string {
  if (!tty) return JSON.stringify(checks);
  const t = new Table({ head: ['job', 'ok', 'scanner', 'range', 'tickers', 'threads', 'plan'], style: { head: [], border: [] } });
  for (const c of checks) t.push([c.name, c.ok ? 'yes' : 'NO', c.scanner ?? '', c.from ? `${c.from} .. ${c.to}` : '', c.tickers ?? '', c.threads ?? '', c.plan_hash?.slice(0, 12) ?? '']);
  return [fitTable(t), ...checks.filter((c) => !c.ok).map((c) => `  ${c.error}`)].join('\n');
}
