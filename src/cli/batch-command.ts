/**
 * `barwise batch --config FILE`: every job of a batch file, one run each; summary, notify command, exit code.
 */
import type { Argv } from 'yargs';
import { loadBatchConfig } from '../batch/batch-config.js';
import { checkBatch } from '../batch/check-batch.js';
import { runNotifyCommand } from '../batch/notify.js';
import { runBatch, type BatchSummary } from '../batch/run-batch.js';
import { renderBatchCheck, renderBatchSummary } from './batch-summary-table.js';
import { EXIT, reportError } from './exit.js';
import { addOptionFlags, checkCommandFlags } from './option-flags.js';
import { quitBySignal } from './exit-now.js';
import { createProgressView, type ProgressView } from './progress-bar.js';
import { checkQueueReachable } from '../cluster/redis-connection.js';
import { readQueueSecret } from '../cluster/shard-job.js';
import { watchQueue } from './watch-queue.js';

export function batchBuilder(y: Argv) {
  return addOptionFlags(y, 'batch');
}

/** Parsed flags (docs/options.md, "Batch commands"). */
type BatchArgs = { config: string; check?: boolean; 'results-db'?: string; 'max-threads'?: number; resume?: boolean; 'notify-command'?: string; queue?: string; 'queue-secret'?: string };

/**
 * `--queue` of batch and schedule: every job's tasks run on the queue's workers. The secret and Redis are
 * checked once, before any job starts (else every job would fail the same way).
 */
export async function readBatchQueue(argv: { queue?: string; 'queue-secret'?: string }): Promise<{ url: string; secret: string } | undefined> {
  if (argv.queue === undefined) return undefined;
  const secret = readQueueSecret(argv['queue-secret']);
  await checkQueueReachable(argv.queue);
  return { url: argv.queue, secret };
}

export async function batchHandler(argv: BatchArgs): Promise<number> {
  checkCommandFlags(argv, 'batch');
  const config = loadBatchConfig(argv.config);
  if (argv.check) {
    const checks = await checkBatch(config, { maxThreads: argv['max-threads'] });
    process.stdout.write(renderBatchCheck(checks, Boolean(process.stdout.isTTY)) + '\n');
    return checks.every((c) => c.ok) ? EXIT.ok : EXIT.usage;
  }
  const queue = await readBatchQueue(argv);
  const controller = new AbortController();
  const progress = createProgressView(Boolean(process.stderr.isTTY));
  const watch = watchQueue(queue?.url, undefined, progress);
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (++signals > 1) quitBySignal(name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    // The bar goes first, for good: the notice and the job lines are then printed whole.
    progress.close();
    process.stderr.write(`\nbarwise: ${name} received, stopping the batch; finished ticker-days are kept (press again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let summary: BatchSummary;
  try {
    summary = await executeBatch(config, { resultsDb: argv['results-db'], maxThreads: argv['max-threads'], resume: argv.resume, queue }, controller.signal, progress);
  } finally {
    watch.dispose();
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.stdout.write(renderBatchSummary(summary, Boolean(process.stdout.isTTY)) + '\n');
  const notify = argv['notify-command'] ?? config.notify;
  let code: number = summary.batch.status === 'completed' ? EXIT.ok : summary.batch.status === 'interrupted' ? EXIT.interrupted : EXIT.failed;
  if (notify) {
    try {
      await runNotifyCommand(notify, summary);
    } catch (err) {
      reportError(err);
      if (code === EXIT.ok) code = EXIT.failed;
    }
  }
  if (summary.batch.status === 'interrupted') {
    process.stderr.write(`barwise: batch interrupted; run the same command again to continue where it stopped.\n`);
  } else if (summary.batch.status === 'failed') {
    const bad = summary.jobs.filter((j) => j.status !== 'completed' && j.status !== 'already-completed').map((j) => `${j.name} (${j.status})`);
    process.stderr.write(`barwise: ${bad.length} of ${summary.jobs.length} job(s) did not complete: ${bad.join(', ')}\n`);
  }
  return code;
}

/**
 * Runs the batch with one line per job start and end on stderr (used by batch and schedule) and, on a
 * terminal, the bar of one running job, labelled `job k/n NAME` (with jobs in parallel, the first to report
 * keeps the bar until it ends).
 */
export function executeBatch(
  config: ReturnType<typeof loadBatchConfig>, opts: Parameters<typeof runBatch>[1], signal?: AbortSignal, progress: ProgressView = createProgressView(false),
): Promise<BatchSummary> {
  const log = (line: string) => progress.notice(`${line}\n`);
  let shown: string | null = null;
  return runBatch(config, opts, {
    signal,
    onJobProgress: (j, p) => {
      if (shown === null) {
        shown = j.name;
        progress.start(`job ${j.index}/${j.total} ${j.name}`);
      }
      if (shown === j.name) progress.update(p);
    },
    onJobStart: (j) => log(`[${j.name}] job ${j.index}/${j.total}, run #${j.runId}${j.resumed ? ' (continuing)' : ''}: ${j.from} .. ${j.to}`),
    onJobEnd: (j) => {
      if (shown === j.name) {
        progress.stop();
        shown = null;
      }
      log(`[${j.name}] ${j.status}${j.signals !== undefined ? `: ${j.signals} signal(s), ${j.failures} failure(s)` : ''}${j.error ? `: ${j.error}` : ''}`);
    },
  });
}
