/**
 * What the CLI tells a user after a run that did not simply succeed: interrupted (and how to go on), some
 * ticker-days failed (naming the first problems), or nothing ran because the warmup exceeds every day.
 * Kept in one place so the wording changes in one file.
 */
import type { RunResult } from '../engine/run-result.js';
import { formatResumeCommand } from '../results/resume-command.js';

const SHOWN_FAILURES = 3;

/** Failures whose cause is not the scanner: what to do, said once however many ticker-days they hit. */
const REMEDIES: { applies: (f: { code: string; message: string }) => boolean; text: string }[] = [
  { applies: (f) => f.code === 'TEMP_WRITE',
    text: 'The temp directory is full or not writable (not the scanner\'s fault): free space in TMPDIR or set TMPDIR to a folder with room.' },
  { applies: (f) => f.code === 'DB_UNREADABLE' && f.message.includes('the file is damaged'),
    text: 'The market database is damaged: check it with sqlite3 FILE "PRAGMA integrity_check", then restore it from a backup or re-import it.' },
];

/** After Ctrl-C or SIGTERM: the run id, what is kept, and the command that continues the run. */
export function formatInterruptNotice(result: RunResult, outFile?: string): string {
  const { run } = result;
  const kept = run.counts.ticker_days;
  const planned = run.counts.ticker_days_planned;
  const where = `run #${run.id} of ${run.results_db}${outFile ? ` and in ${outFile}` : ''}`;
  const count = new Intl.NumberFormat('en-US');
  return [
    `barwise: interrupted; run id ${run.id}: ${count.format(kept)} of ${count.format(planned)} ticker-days finished, kept in ${where}.`,
    // Other flags default to the run's own when resuming; only where the run is recorded must be said again.
    `  continue with: ${formatResumeCommand(run.id, run.results_db, outFile)}`,
  ].join('\n') + '\n';
}

/** Some ticker-days failed: how many, the first few with their messages, and where the rest are. */
export function formatFailureNotice(result: RunResult, outFile?: string): string {
  const { failures, run } = result;
  const lines = [`barwise: ${failures.length} ticker-day(s) failed (the other results are kept):`];
  for (const f of failures.slice(0, SHOWN_FAILURES)) lines.push(`  ${f.ticker} ${f.date} ${f.code}: ${firstLine(f.message)}`);
  if (failures.length > SHOWN_FAILURES) lines.push(`  … and ${failures.length - SHOWN_FAILURES} more`);
  for (const r of REMEDIES) if (failures.some(r.applies)) lines.push(`  ${r.text}`);
  lines.push(`  Fix the scanner or the data named above and run again; every failure is in "failures"${outFile ? ` of ${outFile}` : ''} and in the failures table of run #${run.id} (${run.results_db}).`);
  return lines.join('\n') + '\n';
}

/** Every ticker-day had fewer bars than the warmup: the scanner never ran, which is never what was meant. */
export function formatWarmupNotice(result: RunResult): string | null {
  const c = result.run.counts;
  if (c.ticker_days === 0 || c.ticker_days_skipped < c.ticker_days) return null;
  return `barwise: the warmup (${result.run.warmup} bars) is longer than every ticker-day in the range (the longest has ${c.longest_day_bars} bars), so the scanner never ran.\n`
    + `  Lower --warmup (or the scanner's warmup) below ${c.longest_day_bars}; a regular session has 78 5-minute bars.\n`;
}

/**
 * A failure on one line: its first line and, for a longer message (a script's stderr tail, a traceback), its
 * last, where interpreters put the error itself (`ModuleNotFoundError: No module named 'pandas'`).
 */
function firstLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length <= 1) return lines[0] ?? '';
  return lines.length === 2 ? `${lines[0]} ${lines[1]}` : `${lines[0]} … ${lines[lines.length - 1]}`;
}

