/**
 * Every error barwise shows a user carries a stable `code` (for scripts and tests) and, where there is one,
 * a `hint` saying what to do next. The CLI prints `message` and `hint`; the library throws these as they are.
 */
export type ErrorCode =
  // usage: bad options or flags (exit 2)
  | 'USAGE'
  | 'INVALID_DATE'
  | 'INVALID_RANGE'
  // data
  | 'DB_NOT_FOUND'
  | 'DB_UNREADABLE'
  | 'DB_SCHEMA'
  | 'DB_LOCKED'
  | 'DB_WRITE'
  | 'DB_CHANGED'
  | 'BAD_BAR'
  | 'NO_BARS'
  | 'UNKNOWN_TICKER'
  | 'CSV_BAD_ROW'
  | 'CSV_UNREADABLE'
  // scanners
  | 'SCANNER_NOT_FOUND'
  | 'SCANNER_KIND'
  | 'SCANNER_LOAD'
  | 'SCANNER_INVALID'
  | 'SCANNER_THREW'
  | 'SCANNER_TIMEOUT'
  | 'SCANNER_BAD_OUTPUT'
  | 'SCANNER_WRITE'
  | 'SCANNER_PROTOCOL'
  | 'SIGNAL_OUTSIDE_DAY'
  | 'WORKER_CRASHED'
  | 'WORKER_INIT'
  | 'WORKER_STUCK'
  | 'TOO_MANY_FAILURES'
  | 'CONFIRM_NEEDED'
  | 'TRADE_FAILED'
  | 'NOT_YET'
  | 'INTERRUPTED'
  | 'RESULTS_WRITE'
  | 'TEMP_WRITE'
  | 'RESULTS_LOCKED'
  | 'RESULTS_SCHEMA'
  | 'REPORT_WRITE'
  // runs and batches
  | 'RUN_NOT_FOUND'
  | 'RESUME_MISMATCH'
  | 'BATCH_CONFIG'
  | 'BATCH_RUNNING'
  | 'NOTIFY_FAILED'
  // the queue (cluster)
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_LOST'
  | 'WORKER_LOST'
  | 'WORKER_REFUSED'
  | 'MARKET_MISMATCH';

/** Codes that mean "the user asked for something malformed": the CLI exits 2 for these. */
export const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE',
  'INVALID_DATE',
  'INVALID_RANGE',
  'SCANNER_KIND',
  'NOT_YET',
  'RUN_NOT_FOUND',
  'RESUME_MISMATCH',
  'BATCH_CONFIG',
  'CONFIRM_NEEDED',
]);

export class BarwiseError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'BarwiseError';
    this.code = code;
    this.hint = hint;
  }
}

/** Plain-data form of an error, the only form that crosses threads. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** A thrown Error's stack (its first lines): where a scanner bug is, and what makes two failures the same. */
  stack?: string;
}

/** Stack lines kept: the frames near the throw are the scanner's; the rest are the engine's. */
const STACK_LINES = 12;

export function toErrorData(err: unknown, fallback: ErrorCode): ErrorData {
  if (err instanceof BarwiseError) return { code: err.code, message: err.message };
  if (err instanceof Error) {
    const data: ErrorData = { code: fallback, message: err.message || err.name };
    if (typeof err.stack === 'string') data.stack = err.stack.split('\n').slice(0, STACK_LINES).join('\n');
    return data;
  }
  return { code: fallback, message: describeThrown(err) };
}

function describeThrown(value: unknown): string {
  try {
    return `threw a non-Error value: ${JSON.stringify(value) ?? String(value)}`;
  } catch {
    return `threw a non-Error value: ${String(value)}`;
  }
}
