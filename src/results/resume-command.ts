/**
 * The command that continues a run (or a sweep), as the user types it: every notice that offers to resume (Ctrl-C, a stuck
 * worker, a results database that stayed locked) spells it the same way, with paths quoted for the shell.
 */
import { DEFAULTS } from '../config/backtest-options.js';

export function formatResumeCommand(runId: number, resultsDb: string, outFile?: string, command: 'backtest' | 'sweep' = 'backtest'): string {
  return spellResume(command, String(runId), resultsDb, outFile);
}

/**
 * An audit continues two runs: its full-day run, then its realtime run if it had started (`--resume N,M`).
 * The order check's sample is the audit's own, not the runs': it is said again when it was given.
 */
export function formatAuditResumeCommand(fullDayId: number, realtimeId: number | null, resultsDb: string, outFile?: string, orderSample?: number): string {
  const runs = realtimeId === null ? String(fullDayId) : `${fullDayId},${realtimeId}`;
  return spellResume('audit', runs, resultsDb, outFile) + (orderSample === undefined ? '' : ` --order-sample ${orderSample}`);
}

function spellResume(command: 'backtest' | 'sweep' | 'audit', runs: string, resultsDb: string, outFile: string | undefined): string {
  const db = resultsDb === DEFAULTS.resultsDb ? '' : ` --results-db ${quoteArg(resultsDb)}`;
  return `npm run ${command} -- --resume ${runs}${db}${outFile ? ` --out ${quoteArg(outFile)}` : ''}`;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}
