/**
 * Where runs are recorded when no --results-db is given: one per-user file, so that `barwise runs` and
 * `--resume` find every run wherever the CLI was started (a results database under the current directory
 * scattered runs over every directory a user happened to be in). The XDG base-directory rules decide the
 * place: `$XDG_DATA_HOME/barwise/results.db`, else `~/.local/share/barwise/results.db`;
 * `BARWISE_RESULTS_DB` overrides both (scripts, CI, tests that must not touch the real home).
 */
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DB_ENV = 'BARWISE_RESULTS_DB';

/** Read at every use, not once at start-up: the environment decides, as it is when the run starts. */
export function locateDefaultResultsDb(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const fromEnv = env[RESULTS_DB_ENV];
  if (fromEnv) return fromEnv;
  return path.join(locateDataHome(env, home), 'results.db');
}

/** barwise's per-user data folder: `$XDG_DATA_HOME/barwise`, else `~/.local/share/barwise`. */
export function locateDataHome(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  // The XDG rules ignore a relative XDG_DATA_HOME: it would again depend on the current directory.
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || home, '.local', 'share');
  return path.join(dataHome, 'barwise');
}

export const DEFAULT_RESULTS_DB_TEXT = `$${RESULTS_DB_ENV}, else $XDG_DATA_HOME/barwise/results.db, else ~/.local/share/barwise/results.db`;
