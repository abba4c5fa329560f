/**
 * One `--param` of a sweep: `name=a,b,c` (a list) or `name=lo..hi:step` (a range), into the name and its
 * values, typed as the parameter is declared. A range is stepped in integers of its finest decimal place, so
 * `1.5..3:0.5` is exactly 1.5, 2, 2.5, 3 (adding 0.1 in binary floating point would drift: 0.30000000000000004).
 *
 * Names: `trade.X` is the trade rule X (docs/trades.md, typed by its row of the option table); any other name
 * is a parameter the scanner declares.
 */
import { BarwiseError } from '../errors.js';
import { CLI, TRADE_ROWS, describeProblem, type OptionRow } from '../config/options.js';
import { findClosestWord } from '../text/closest-word.js';
import { TRADE_PARAM_PREFIX, type ParamValue } from '../scanners/scanner-params.js';

export type SweepValue = ParamValue;

/** A parameter's type as a sweep checks its values. */
export type SweepParamType = 'integer' | 'number' | 'string' | 'boolean';

export interface ParamSpec {
  /** As written: a scanner parameter's name, or `trade.X`. */
  name: string;
  values: SweepValue[];
}

/** Trade rules a sweep may vary: every rule but the rules file. */
const TRADE_PARAM_ROWS: readonly OptionRow[] = TRADE_ROWS.filter((r) => r.key !== 'config');
export const TRADE_PREFIX = TRADE_PARAM_PREFIX;

/** A range's text: lo..hi:step, each a plain decimal. */
const RANGE = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
/** A sweep stops at this many values per parameter: a range with a mistyped step would otherwise plan millions. */
export const MAX_VALUES = 10_000;

/**
 * Parses `name=spec`. `declared`: the scanner's parameters and their types (a name not among them, nor a
 * trade rule, is refused naming those that are).
 */
export function parseParamSpec(text: string, declared: ReadonlyMap<string, SweepParamType>): ParamSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw usage(`--param ${text} is not name=values`, 'Write --param name=a,b,c (a list) or --param name=lo..hi:step (a range), e.g. --param vol_mult=1.5..3:0.5.');
  }
  const name = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const type = readParamType(name, declared);
  if (spec === '') throw usage(`--param ${name} has no values`, `Give a list (${name}=1,2,3) or a range (${name}=1..3:1).`);
  const range = RANGE.exec(spec);
  if (!range && spec.includes('..') && type !== 'string') {
    throw usage(`--param ${name}=${spec} is not a range`, `A range is lo..hi:step with plain decimals, e.g. ${name}=1.5..3:0.5.`);
  }
  const values = range ? expandRange(name, type, range[1], range[2], range[3]) : spec.split(',').map((t) => parseValue(name, type, t.trim()));
  const seen = new Set<string>();
  for (const v of values) {
    const key = JSON.stringify(v);
    if (seen.has(key)) throw usage(`--param ${name} lists ${key} twice`, 'Give each value once.');
    seen.add(key);
  }
  if (name.startsWith(TRADE_PREFIX)) for (const v of values) checkTradeValue(name, v);
  return { name, values };
}

/** The type of a parameter name: a trade rule's from the option table, a scanner parameter's as declared. */
export function readParamType(name: string, declared: ReadonlyMap<string, SweepParamType>): SweepParamType {
  if (name.startsWith(TRADE_PREFIX)) {
    const key = name.slice(TRADE_PREFIX.length);
    const row = TRADE_PARAM_ROWS.find((r) => r.key === key);
    if (!row) {
      const keys = TRADE_PARAM_ROWS.map((r) => r.key!);
      const close = findClosestWord(key, keys);
      throw usage(`--param ${name}: ${key} is not a trade rule${close ? `; did you mean ${TRADE_PREFIX}${close}?` : ''}`,
        `Trade rules a sweep can vary: ${keys.map((k) => TRADE_PREFIX + k).join(', ')} (docs/trades.md).`);
    }
    return row.type === 'integer' || row.type === 'number' ? row.type : 'string';
  }
  const type = declared.get(name);
  if (type) return type;
  const names = [...declared.keys()];
  const close = findClosestWord(name, names);
  throw usage(`--param ${name}: the scanner declares no parameter ${name}${close ? `; did you mean ${close}?` : ''}`,
    names.length > 0
      ? `Its parameters: ${names.join(', ')}; trade rules are trade.X (e.g. trade.stopPct).`
      : 'It declares none (docs/sweeps.md: `-- param: name = value` in SQL, `params` in a module); trade rules are trade.X (e.g. trade.stopPct).');
}

function parseValue(name: string, type: SweepParamType, token: string): SweepValue {
  if (token === '') throw usage(`--param ${name} has an empty value in its list`, `Separate values by single commas, e.g. ${name}=1,2,3.`);
  if (type === 'string') return token;
  if (type === 'boolean') {
    if (token === 'true' || token === 'false') return token === 'true';
    throw usage(`--param ${name} takes true or false, got "${token}"`, `E.g. ${name}=true,false.`);
  }
  const n = DECIMAL.test(token) || /^-?\d+(?:\.\d+)?e[+-]?\d+$/i.test(token) ? Number(token) : NaN;
  if (!Number.isFinite(n)) throw usage(`--param ${name} takes ${type === 'integer' ? 'whole numbers' : 'numbers'}, got "${token}"`, `E.g. ${name}=1,2,3.`);
  if (type === 'integer' && !Number.isInteger(n)) throw usage(`--param ${name} takes whole numbers, got ${token}`, `E.g. ${name}=3,6,12.`);
  return n;
}

function expandRange(name: string, type: SweepParamType, loText: string, hiText: string, stepText: string): number[] {
  const shown = `${loText}..${hiText}:${stepText}`;
  if (type !== 'integer' && type !== 'number') {
    throw usage(`--param ${name}=${shown}: a range needs a numeric parameter, ${name} takes ${type === 'boolean' ? 'true or false' : 'text'}`, `List its values instead, e.g. ${name}=a,b.`);
  }
  const places = Math.max(...[loText, hiText, stepText].map((t) => (t.split('.')[1] ?? '').length));
  const scale = 10 ** places;
  const [lo, hi, step] = [loText, hiText, stepText].map((t) => Math.round(Number(t) * scale));
  if (step <= 0) throw usage(`--param ${name}=${shown}: the step must be above 0, got ${stepText}`, `E.g. ${name}=${loText}..${hiText}:1.`);
  if (lo > hi) throw usage(`--param ${name}=${shown}: the range is empty (${loText} is above ${hiText})`, `Write the low end first: ${name}=${hiText}..${loText}:${stepText}.`);
  const count = Math.floor((hi - lo) / step) + 1;
  if (count > MAX_VALUES) throw usage(`--param ${name}=${shown} has ${count} values, more than ${MAX_VALUES}`, 'Use a larger step, or --samples N for a random search.');
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(Number(((lo + k * step) / scale).toFixed(places)));
  if (type === 'integer' && out.some((v) => !Number.isInteger(v))) {
    throw usage(`--param ${name}=${shown}: ${name} takes whole numbers, and this range steps through fractions`, `E.g. ${name}=${Math.ceil(Number(loText))}..${Math.floor(Number(hiText))}:1.`);
  }
  return out;
}

/** A trade rule's value checked against its row, the message naming the parameter as the sweep wrote it. */
function checkTradeValue(name: string, value: SweepValue): void {
  const row = TRADE_PARAM_ROWS.find((r) => r.key === name.slice(TRADE_PREFIX.length))!;
  const problem = describeProblem(row, value, CLI);
  if (problem) throw usage(`--param ${name} ${problem.message}`, problem.hint ?? `See docs/trades.md for ${name.slice(TRADE_PREFIX.length)}.`);
}

function usage(message: string, hint: string): BarwiseError {
  return new BarwiseError('USAGE', message, hint);
}
