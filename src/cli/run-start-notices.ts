/**
 * What the CLI says before a run's first step: that it continues a recorded run (and how much is kept), that
 * a recorded run is already complete, or that the scanner starts a process per step and how long that takes.
 */
import { BarwiseError } from '../errors.js';
import type { PlannedWork, RunStartInfo } from '../engine/run-result.js';
import { formatDuration } from './progress-line.js';

// Made on first use: the first Intl formatter of a thread costs milliseconds of ICU set-up, and most runs
// print none of these notices.
let number: Intl.NumberFormat | undefined;
const formatCount = (n: number) => (number ??= new Intl.NumberFormat('en-US')).format(n);
/**
 * A process started per step: a Python or Node interpreter starting, reading its day database and answering,
 * ~0.3-0.5 s on a laptop. The estimate only has to tell minutes from hours.
 */
export const SECONDS_PER_PROCESS_STEP = 0.4;
/** Above this estimate a run on a terminal waits for --yes. */
const CONFIRM_ABOVE_MS = 3600_000;

export function formatResumeStart(info: RunStartInfo): string {
  return `barwise: resuming run #${info.runId}: ${formatCount(info.tickerDaysKept)} of ${formatCount(info.tickerDaysTotal)} ticker-days kept\n`;
}

export function formatAlreadyComplete(runId: number, resultsDb: string): string {
  return `barwise: run #${runId} of ${resultsDb} is already complete; nothing to run.\n`
    + `  Its results: \`npm run runs -- --results-db ${resultsDb}\`; start a new run (without --resume) to compute them again.\n`;
}

/** The time a run that starts a process per step will take, from its planned steps, spread over its workers. */
export function estimatePerStepMs(work: PlannedWork): number {
  return (work.steps * SECONDS_PER_PROCESS_STEP * 1000) / Math.max(1, work.workers);
}

/** The warning for a scanner started per step, or null for every other run. */
export function formatPerStepWarning(work: PlannedWork): string | null {
  if (!work.processPerStep || work.steps === 0) return null;
  return `barwise: a process is started for every step: ${formatCount(work.steps)} steps over ${formatCount(work.tickerDays)} ticker-days, `
    + `about ${formatDuration(estimatePerStepMs(work))} on ${work.workers} worker(s) at ~${SECONDS_PER_PROCESS_STEP} s per step.\n`
    + '  --mode realtime (the default) keeps the scanner loaded; a run-once script runs warm there unless --no-warm is given or the notice above says why not;'
    + ' a script that speaks the persistent protocol (README, "Persistent scripts") starts once per worker.\n';
}

/**
 * A run estimated above an hour waits for --yes on a terminal (someone is there to decide); elsewhere (cron,
 * CI) the warning alone is printed and the run goes on, as it was asked to.
 */
export function checkPerStepConfirmed(work: PlannedWork, terminal: { tty: boolean; yes: boolean }): void {
  if (!work.processPerStep || terminal.yes || !terminal.tty) return;
  const ms = estimatePerStepMs(work);
  if (ms <= CONFIRM_ABOVE_MS) return;
  throw new BarwiseError('CONFIRM_NEEDED', `the run is estimated to take ${formatDuration(ms)} (a process per step); nothing was run`,
    'Pass --yes to run it anyway, or narrow --tickers/--from/--to, or give the script the persistent protocol.');
}
