/**
 * A ticker-day's candidate trades as bytes: what a worker ships to the main thread and what the results
 * database keeps in the day's run_days row (`candidates`, from schema 8), beside the day's price path. A run
 * with trade rules records a candidate per signal, a sweep one per signal per combination: as objects, each
 * was a structured clone across threads, an encoding on the main thread and a row of its own in a second
 * b-tree, with the workers waiting on that thread (a 16-combination trade-rules sweep of 512 tickers: 76k
 * candidates, 0.9 s of its main thread). As bytes, the worker encodes its day and the main thread only passes
 * them on; they are decoded once, for the portfolio pass.
 *
 * Layout: format byte (1), three zero bytes, count as uint32 LE, then per candidate its NUMBERS as float64 LE, then the UTF-8
 * JSON of an array holding each candidate's TEXTS. A decoded record is the JSON object of the record encoded:
 * a value JSON has no text for (NaN, ±Infinity) is null, -0 is 0, its fields in the order simulate-trade.ts
 * builds them. A change to the layout or to the field lists below is a new format byte.
 */
import type { CandidateRecord } from './candidate.js';

/** The record's fields in the order simulate-trade.ts builds it (a decoded record keeps that order). */
export const CANDIDATE_FIELDS = [
  'ticker', 'date', 'direction', 'signal_time', 'signal_ts', 'seq', 'pattern_strength', 'entry_time', 'entry_ts', 'entry_price',
  'entry_quote', 'exit_time', 'exit_ts', 'exit_price', 'exit_quote', 'exit_reason', 'bars_held', 'risk', 'mae_pct', 'mfe_pct',
  'marks_from', 'marks_count',
] as const satisfies readonly (keyof CandidateRecord)[];

// Every field of CandidateRecord is listed: a field added to the record and not here fails to compile.
type Missing = Exclude<keyof CandidateRecord, (typeof CANDIDATE_FIELDS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

type Field = (typeof CANDIDATE_FIELDS)[number];
/** The fields held as text; every other field is a number (or null). */
const TEXTS = ['ticker', 'date', 'direction', 'signal_time', 'entry_time', 'exit_time', 'exit_reason'] as const satisfies readonly Field[];
const TEXT = new Set<string>(TEXTS);
const NUMBERS = CANDIDATE_FIELDS.filter((f) => !TEXT.has(f));

const FORMAT = 1;
/** A Float64Array's bytes are the stored ones as they are (little-endian) on this machine. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
/** Format byte, three zero bytes, count: the numbers start 8-aligned. */
const HEADER = 8;
const CANDIDATE_BYTES = 8 * NUMBERS.length;

/** The day's candidates (in any order: the reader sorts) as bytes. */
export function encodeDayCandidates(cs: readonly CandidateRecord[]): Uint8Array {
  return encodeCandidateLists([cs])[0];
}

/**
 * encodeDayCandidates for several lists at once (one ticker-day's candidates under each of a sweep's trade
 * rules), all in one buffer, each at an 8-aligned offset. A day's answer then
 * crosses threads as one buffer, not one per rule: every buffer is an allocation in the worker, a
 * deserialization and a backing store for the main thread's collector.
 */
export function encodeCandidateLists(lists: readonly (readonly CandidateRecord[])[]): Uint8Array[] {
  const width = NUMBERS.length;
  const jsons: string[] = new Array<string>(lists.length);
  const starts: number[] = new Array<number>(lists.length);
  const sizes: number[] = new Array<number>(lists.length);
  let total = 0;
  for (let l = 0; l < lists.length; l++) {
    const cs = lists[l];
    const texts = new Array<string[]>(cs.length);
    for (let k = 0; k < cs.length; k++) texts[k] = readTexts(cs[k]);
    jsons[l] = JSON.stringify(texts);
    starts[l] = total;
    sizes[l] = HEADER + CANDIDATE_BYTES * cs.length + Buffer.byteLength(jsons[l]);
    total += Math.ceil(sizes[l] / 8) * 8;
  }
  // A buffer of its own, not a slice of Node's shared pool: a view is cloned across threads with its whole
  // buffer. Its start is 8-aligned, so are the lists' starts, and the numbers are written in place.
  const buffer = new ArrayBuffer(total);
  const bytes = Buffer.from(buffer);
  const out: Uint8Array[] = new Array<Uint8Array>(lists.length);
  for (let l = 0; l < lists.length; l++) {
    const cs = lists[l];
    const at = starts[l];
    bytes[at] = FORMAT;
    bytes.writeUInt32LE(cs.length, at + 4);
    if (LITTLE_ENDIAN) {
      const numbers = new Float64Array(buffer, at + HEADER, width * cs.length);
      for (let k = 0; k < cs.length; k++) writeNumbers(cs[k], numbers, k * width);
    } else {
      const numbers = new Float64Array(width);
      for (let k = 0; k < cs.length; k++) {
        writeNumbers(cs[k], numbers, 0);
        numbers.forEach((v, i) => bytes.writeDoubleLE(v, at + HEADER + 8 * (k * width + i)));
      }
    }
    bytes.write(jsons[l], at + HEADER + CANDIDATE_BYTES * cs.length);
    out[l] = new Uint8Array(buffer, at, sizes[l]);
  }
  return out;
}

/** The records encodeDayCandidates wrote, in its order; throws on bytes it did not write. */
export function decodeDayCandidates(raw: Uint8Array): CandidateRecord[] {
  const { count, numbersEnd } = readHeader(raw);
  let texts: unknown;
  try {
    texts = numbersEnd <= raw.length ? JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8', numbersEnd)) : null;
  } catch {
    texts = null;
  }
  if (!Array.isArray(texts) || texts.length !== count || texts.some((t) => !Array.isArray(t) || t.length !== TEXTS.length || t.some((x) => typeof x !== 'string'))) {
    throw new Error(`${raw.length} bytes do not hold the ${count} candidates their header counts`);
  }
  const numbers = readNumbers(raw, count, numbersEnd);
  const out = new Array<CandidateRecord>(count);
  for (let k = 0; k < count; k++) out[k] = buildRecord(numbers, k * NUMBERS.length, texts[k] as string[], asJsonNumber);
  return out;
}

/** Float64s per candidate in a day's bytes, and each numeric field's place among them. */
export const NUMBER_WIDTH = NUMBERS.length;
export const NUMBER_AT = Object.fromEntries(NUMBERS.map((f, i) => [f, i])) as Record<Exclude<Field, (typeof TEXTS)[number]>, number>;

/**
 * A day's candidates' numbers without decoding them (no texts parsed, no records built): `count` candidates of
 * NUMBER_WIDTH float64s each, as stored (NaN for null). What the portfolio pass reads of every candidate it does
 * not open (candidate-columns.ts). Throws on bytes encodeDayCandidates did not write; their texts are checked
 * when a candidate is decoded.
 */
export function viewDayNumbers(raw: Uint8Array): { count: number; numbers: Float64Array } {
  const { count, numbersEnd } = readHeader(raw);
  if (numbersEnd > raw.length) throw new Error(`${raw.length} bytes do not hold the ${count} candidates their header counts`);
  return { count, numbers: readNumbers(raw, count, numbersEnd) };
}

/** The header's count, checked, read from the bytes as they are (no Buffer made per day: a third of reading a day's numbers). */
function readHeader(raw: Uint8Array): { count: number; numbersEnd: number } {
  if (raw.length > 0 && raw[0] !== FORMAT) {
    throw new Error(`candidates stored as ${raw.length} bytes of format ${raw[0]}, where format ${FORMAT} was written`);
  }
  if (raw.length < HEADER || raw[1] !== 0 || raw[2] !== 0 || raw[3] !== 0) {
    throw new Error(`candidates stored as ${raw.length} bytes without the ${HEADER}-byte header of format ${FORMAT}`);
  }
  const count = (raw[4] | (raw[5] << 8) | (raw[6] << 16)) + raw[7] * 2 ** 24;
  return { count, numbersEnd: HEADER + CANDIDATE_BYTES * count };
}

/**
 * The numbers read in place when aligned (as a worker's bytes arrive), else copied once into an aligned
 * array (SQLite's need not start at a multiple of 8); then read by index.
 */
function readNumbers(raw: Uint8Array, count: number, numbersEnd: number): Float64Array {
  if (LITTLE_ENDIAN && raw.byteOffset % 8 === 0) return new Float64Array(raw.buffer, raw.byteOffset + HEADER, NUMBERS.length * count);
  const numbers = new Float64Array(NUMBERS.length * count);
  if (LITTLE_ENDIAN) new Uint8Array(numbers.buffer).set(raw.subarray(HEADER, numbersEnd));
  else {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < numbers.length; i++) numbers[i] = view.getFloat64(HEADER + 8 * i, true);
  }
  return numbers;
}

/** A stored number as JSON would have kept it: no text for NaN or ±Infinity (null), none for the sign of zero. */
export const asJsonNumber = (v: number): number | null => (Number.isFinite(v) ? v + 0 : null);

/**
 * A record from its numbers (at `at`) and texts, as one object literal in CANDIDATE_FIELDS' order, compiled
 * once at load from the constant field lists: filled field by field, decoding 76k candidates took 2–3× as
 * long (bench/measure-kept-candidates.ts).
 */
const buildRecord = new Function('n', 'at', 't', 'finite', `return { ${CANDIDATE_FIELDS.map((f) => {
  if (!/^[a-z_]+$/.test(f)) throw new Error(`not a field name: ${f}`);
  return TEXT.has(f) ? `${f}: t[${TEXTS.indexOf(f as (typeof TEXTS)[number])}]` : `${f}: finite(n[at + ${NUMBERS.indexOf(f)}])`;
}).join(', ')} };`) as (n: Float64Array, at: number, t: string[], finite: typeof asJsonNumber) => CandidateRecord;

/**
 * A record's numbers into `n` from `at`, in NUMBERS' order (null as NaN), and its texts in TEXTS' order:
 * compiled at load as buildRecord is, so each field is read by its name. Read by names held in a variable and
 * copied from a second array, encoding 80k one-candidate days took 265 ms against 175–240 ms.
 */
const writeNumbers = new Function('c', 'n', 'at', NUMBERS.map((f, i) => {
  if (!/^[a-z_]+$/.test(f)) throw new Error(`not a field name: ${f}`);
  return `n[at + ${i}] = c.${f} ?? NaN;`;
}).join('\n')) as (c: CandidateRecord, n: Float64Array, at: number) => void;
const readTexts = new Function('c', `return [${TEXTS.map((f) => `c.${f}`).join(', ')}];`) as (c: CandidateRecord) => string[];
