/**
 * A run notice: what a run found that is probably not what was meant, though nothing failed. A notice never
 * changes a result or the exit code; it is part of the result (`notices` in the JSON output) and the CLI
 * prints each on stderr. collect-run-notices.ts runs the checks (one file each in this folder).
 */
export type NoticeCode = 'WARMUP_TRAP' | 'LOOKBACK_NEEDED' | 'TIME_OUTSIDE_SESSION';

export interface RunNotice {
  code: NoticeCode;
  /** What was seen, with its figures. */
  message: string;
  /** What to do about it. */
  hint: string;
}
