/**
 * How the CLI reports an error and which exit code it uses: 2 for usage errors, 1 for everything else.
 */
import { BarwiseError, USAGE_CODES } from '../errors.js';

/** 130 and 143 are what shells report for SIGINT and SIGTERM (128 + signal number). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

export function reportError(err: unknown): number {
  if (err instanceof BarwiseError) {
    process.stderr.write(`barwise: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  ${err.hint}\n`);
    return USAGE_CODES.has(err.code) ? EXIT.usage : EXIT.failed;
  }
  const e = err as Error;
  process.stderr.write(`barwise: unexpected error: ${e?.stack ?? String(err)}\n`);
  return EXIT.failed;
}
