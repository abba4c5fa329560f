/**
 * What the CLI tells a user after a run that did not simply succeed: interrupted (and how to go on), some
 * ticker-days failed (naming the first problems), nothing ran because the warmup exceeds every day, or the
 * account was ruined or could buy nothing.
 * Kept in one place so the wording changes in one file.
 */
import type { RunResult } from '../engine/run-result.js';
import type { RunNotice } from '../notices/run-notice.js';
import { formatResumeCommand } from '../results/resume-command.js';
import { firstErrorLine } from '../scanners/script/summarize-stderr.js';

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

/** A run's notices (src/notices), each as a line and its hint, or '' when there are none. */
export function formatNotices(notices: readonly RunNotice[]): string {
  return notices.map((n) => `barwise: notice (${n.code}): ${n.message}.\n  ${n.hint}\n`).join('');
}

/** Every ticker-day had fewer bars than the warmup: the scanner never ran, which is never what was meant. */
export function formatWarmupNotice(result: RunResult): string | null {
  const c = result.run.counts;
  if (c.ticker_days === 0 || c.ticker_days_skipped < c.ticker_days) return null;
  return `barwise: the warmup (${result.run.warmup} bars) is longer than every ticker-day in the range (the longest has ${c.longest_day_bars} bars), so the scanner never ran.\n`
    + `  Lower --warmup (or the scanner's warmup) below ${c.longest_day_bars}; a regular session has 78 5-minute bars.\n`;
}

/**
 * A failure on one line: its first line and, for a longer message (a script's stderr, a traceback), the
 * error itself: the first exception line after it (`Error: Cannot find module './src/database/db'`), else
 * the last line, where interpreters put it (`ModuleNotFoundError: No module named 'pandas'`).
 */
function firstLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length <= 1) return lines[0] ?? '';
  const error = firstErrorLine(lines.slice(1).join('\n'));
  if (error !== null) return `${lines[0]} … ${error}`;
  return lines.length === 2 ? `${lines[0]} ${lines[1]}` : `${lines[0]} … ${lines[lines.length - 1]}`;
}

/**
 * The account's outcome when it is not what a size was meant for: ruined (when, and that nothing traded
 * after), or every entry refused for buying power (a size no equity of the run could buy). A result, not a
 * failure: the run's exit code stays 0.
 */
export function formatAccountNotice(result: RunResult): string | null {
  const s = result.stats;
  const rules = result.run.trade;
  if (!s || !rules) return null;
  if (s.ruined_at) {
    const after = s.untraded.ruined ?? 0;
    return `barwise: the account was ruined at ${s.ruined_at} (New York): equity reached zero, its open positions were closed there (exit reason ruin)`
      + ` and ${after} later signal(s) were not traded. Final equity ${s.final_equity}.\n`
      + '  A smaller --size, fewer --max-positions or a lower --max-exposure keeps an account alive (docs/trades.md, "Portfolio").\n';
  }
  const refused = s.untraded.buying_power ?? 0;
  if (s.trades === 0 && refused > 0) {
    return `barwise: the account took no trade: all ${refused} signal(s) it could enter were refused for buying power`
      + ` (size ${rules.size.mode}:${rules.size.value}, capital ${rules.capital}, --max-exposure ${rules.maxExposure}).\n`
      + '  Size smaller (e.g. --size equity-pct:10), or raise --capital or --max-exposure.\n';
  }
  return null;
}
