/**
 * A signal's metrics as JSON data: what is stored, compared across runs and written to files. A value JSON
 * would change on the way (NaN and Infinity become null, a Map or a Set an empty object, a BigInt throws) is
 * refused with its path, so a scanner never loses a metric silently and every run stores the same bytes.
 * Dates become their ISO string, as JSON.stringify makes them. A signal's metrics are limited in size: they
 * cross from the worker to the main thread, which holds every signal of a run until it is written.
 */
import { BarwiseError } from '../errors.js';

/** Largest metrics object per signal, as UTF-8 JSON. A scanner's metrics are a few numbers; 64 KB is ample. */
export const MAX_METRICS_BYTES = 64 * 1024;

const HINTS: Record<string, string> = {
  Map: 'a Map (JSON has no maps: return Object.fromEntries(map))',
  Set: 'a Set (JSON has no sets: return [...set])',
  WeakMap: 'a WeakMap',
  WeakSet: 'a WeakSet',
  RegExp: 'a RegExp (return its source string)',
  Promise: 'a Promise (await it before returning)',
  Error: 'an Error (return its message)',
  ArrayBuffer: 'an ArrayBuffer (return an array of numbers)',
};

export function toJsonMetrics(value: Record<string, unknown>): Record<string, unknown> {
  try {
    checkJsonValue(value, 'metrics', []);
  } catch (err) {
    if (!(err instanceof NotJsonData)) throw err;
    throw new BarwiseError('SCANNER_BAD_OUTPUT', `signal metrics are not JSON data: ${err.message}`,
      'Return plain numbers, strings, booleans, arrays and objects; use null where a number is undefined (NaN, Infinity).');
  }
  const json = JSON.stringify(value);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short metrics (nearly all) need no byte count.
  const bytes = json.length * 3 <= MAX_METRICS_BYTES ? 0 : Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_METRICS_BYTES) {
    throw new BarwiseError('SCANNER_BAD_OUTPUT',
      `signal metrics are ${formatKb(bytes)} of JSON, over the limit of ${formatKb(MAX_METRICS_BYTES)} per signal`,
      'Keep metrics to the values that describe the signal (numbers, short strings); keep bulk data such as bar arrays out of them.');
  }
  return JSON.parse(json);
}

class NotJsonData extends Error {}

function checkJsonValue(v: unknown, at: string, stack: object[]): void {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined': // left out of objects, null in arrays: as JSON does, and the same on every run
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new NotJsonData(`${at} is ${v}`);
      return;
    case 'function':
    case 'symbol':
    case 'bigint':
      throw new NotJsonData(`${at} is a ${typeof v}`);
  }
  if (v === null) return;
  const obj = v as object;
  if (stack.includes(obj)) throw new NotJsonData(`${at} is circular (it refers back to an object that contains it)`);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    checkJsonValue(toJSON.call(obj), at, stack); // Date → its ISO string
    return;
  }
  const tag = Object.prototype.toString.call(obj).slice(8, -1);
  if (HINTS[tag] || ArrayBuffer.isView(obj)) throw new NotJsonData(`${at} is ${HINTS[tag] ?? `a ${tag} (return an array of numbers)`}`);
  stack.push(obj);
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) checkJsonValue(obj[i], `${at}[${i}]`, stack);
  } else {
    for (const [k, child] of Object.entries(obj)) checkJsonValue(child, `${at}.${k}`, stack);
  }
  stack.pop();
}

function formatKb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
