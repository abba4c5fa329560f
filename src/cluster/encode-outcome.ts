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

/**
 * Parsed, then walked once: a JSON.parse reviver is called for every value of a shard's answer (hundreds of
 * thousands) and cost the coordinator 4× the parse itself; the walk replaces only the tagged values.
 */
export function decodeOutcomes(text: string): TaskOutcome[] {
  return revive(JSON.parse(text)) as TaskOutcome[];
}

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
  if (keys.length === 1 && typeof o.$number === 'string') return o.$number === '-0' ? -0 : Number(o.$number);
  for (const k of keys) {
    const v = o[k];
    const r = revive(v);
    // Defined, not assigned: a scanner's metric may be named `__proto__`, which assignment would not create.
    if (r !== v) Object.defineProperty(o, k, { value: r, writable: true, enumerable: true, configurable: true });
  }
  return o;
}
