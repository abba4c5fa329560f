/**
 * A shard's task outcomes as JSON text and back, exactly: the encoded price paths of traded days (Uint8Array) travel
 * as base64, and numbers JSON cannot spell (NaN, ±Infinity, -0) as text, so what the coordinator records from
 * a worker on another machine is bit for bit what the local runner would have handed it.
 */
import type { TaskOutcome } from '../pool/runner.js';

type Tagged = { $bytes: string } | { $number: string };

export function encodeOutcomes(outcomes: TaskOutcome[]): string {
  return JSON.stringify(outcomes, function (this: Record<string, unknown>, key, value) {
    // `value` has been through toJSON already; the raw value is on the holder.
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') } satisfies Tagged;
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0))) return { $number: Object.is(raw, -0) ? '-0' : String(raw) } satisfies Tagged;
    return value;
  });
}

export function decodeOutcomes(text: string): TaskOutcome[] {
  return JSON.parse(text, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
      if (keys.length === 1 && typeof value.$number === 'string') return value.$number === '-0' ? -0 : Number(value.$number);
    }
    return value;
  }) as TaskOutcome[];
}
