/**
 * The end-of-batch summary: one row per job on a terminal; the summary JSON otherwise (for logs and cron mail).
 */
import Table from 'cli-table3';
import type { JobCheck } from '../batch/check-batch.js';
import type { BatchSummary } from '../batch/run-batch.js';

export function renderBatchSummary(summary: BatchSummary, tty: boolean): string {
  if (!tty) return JSON.stringify(summary);
  const t = new Table({ head: ['job', 'status', 'run', 'range', 'ticker-days', 'signals', 'failures', 'time'], style: { head: [], border: [] } });
  for (const j of summary.jobs) {
    t.push([
      j.name,
      j.status,
      j.run_id === null ? '' : `#${j.run_id}${j.resumed ? ' (resumed)' : ''}`,
      j.from ? `${j.from} .. ${j.to}` : '',
      j.ticker_days ?? '',
      j.signals ?? '',
      j.failures ?? '',
      j.wall_ms !== undefined ? `${(j.wall_ms / 1000).toFixed(1)} s` : '',
    ]);
  }
  const b = summary.batch;
  const lines = [`Batch ${b.name} #${b.id}: ${b.status} in ${(b.wall_ms / 1000).toFixed(1)} s (results in ${b.results_db})`, t.toString()];
  for (const j of summary.jobs) if (j.error) lines.push(`  ${j.name}: ${j.error}`);
  return lines.join('\n');
}

/** `batch --check`: one row per job with its plan's hash (the whole plans in the JSON), and what is wrong with the broken ones. */
export function renderBatchCheck(checks: JobCheck[], tty: boolean): string {
  if (!tty) return JSON.stringify(checks);
  const t = new Table({ head: ['job', 'ok', 'scanner', 'range', 'tickers', 'threads', 'plan'], style: { head: [], border: [] } });
  for (const c of checks) t.push([c.name, c.ok ? 'yes' : 'NO', c.scanner ?? '', c.from ? `${c.from} .. ${c.to}` : '', c.tickers ?? '', c.threads ?? '', c.plan_hash?.slice(0, 12) ?? '']);
  return [t.toString(), ...checks.filter((c) => !c.ok).map((c) => `  ${c.error}`)].join('\n');
}
