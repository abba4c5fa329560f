/**
 * The command that continues a run, as the user types it: every notice that offers to resume (Ctrl-C, a stuck
 * worker, a results database that stayed locked) spells it the same way, with paths quoted for the shell.
 */
import { DEFAULTS } from '../config/backtest-options.js';

export function formatResumeCommand(runId: number, resultsDb: string, outFile?: string): string {
  const db = resultsDb === DEFAULTS.resultsDb ? '' : ` --results-db ${quoteArg(resultsDb)}`;
  return `npm run backtest -- --resume ${runId}${db}${outFile ? ` --out ${quoteArg(outFile)}` : ''}`;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}
