/**
 * A worker refusing a shard (unsigned, wrong secret, different market data) fails its job with the reason as
 * its message, `CODE: message`; the coordinator reads the code back and stops the run with it (the same
 * refusal would meet every shard).
 */
import { BarwiseError, type ErrorData } from '../errors.js';

export const REFUSAL_CODES = ['WORKER_REFUSED', 'MARKET_MISMATCH'] as const;

export function formatRefusal(err: BarwiseError): string {
  return `${err.code}: ${err.message}`;
}

export function readRefusal(message: string): ErrorData | null {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(message);
  return m && (REFUSAL_CODES as readonly string[]).includes(m[1]) ? { code: m[1] as ErrorData['code'], message: `a worker refused the shard: ${m[2]}` } : null;
}
