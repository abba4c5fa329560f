/**
 * The command that continues a run (or a sweep), as the user types it: every notice that offers to resume (Ctrl-C, a stuck
 * worker, a results database that stayed locked) spells it the same way, with paths quoted for the shell.
 */
import { DEFAULTS } from '../config/backtest-options.js';

export function formatResumeCommand(runId: number, resultsDb: string, outFile?: string, command: 'backtest' | 'sweep' = 'backtest'): string {
  const db = resultsDb === DEFAULTS.resultsDb ? '' : ` --results-db ${quoteArg(resultsDb)}`;
  return `npm run ${command} -- --resume ${runId}${db}${outFile ? ` --out ${quoteArg(outFile)}` : ''}`;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`;
}
