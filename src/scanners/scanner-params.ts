/**
 * Scanner parameters: values a scanner declares with a default (a module's `params`, an SQL scanner's
 * `-- param: name = value`, a script's `// barwise: param:name=value`) and a run may set (`--param name=value`,
 * `options.params`). A run resolves them once, against the declarations, into ScannerParams: every declared
 * name, defaults filled, keys sorted, so equal values give an equal plan (and hash) whatever order they were
 * given in. The same ScannerParams reach the scanner in every worker.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';

export type ParamValue = number | string | boolean;
/** Resolved parameter values of one run: every declared name, defaults filled, keys sorted. */
export type ScannerParams = Readonly<Record<string, ParamValue>>;
export interface ParamDecl { readonly name: string; readonly type: 'number' | 'integer' | 'string' | 'boolean'; readonly default: ParamValue }

/** A parameter name: a word of letters, digits and `_`, starting with a letter or `_` (it is an SQL `:name` too). */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The prefix of a parameter that sets a trade rule (`trade.stopPct`); it lives in the trade rules, not in `params`. */
export const TRADE_PARAM_PREFIX = 'trade.';

/** Checks `given` (CLI text or typed values) against the declarations; errors name the parameter / the declared ones. */
export function resolveParams(decls: readonly ParamDecl[], given: Readonly<Record<string, string | ParamValue>>, where: string): ScannerParams {
  const declared = new Map(decls.map((d) => [d.name, d]));
  for (const name of Object.keys(given)) {
    if (given[name] === undefined) continue;
    const decl = declared.get(name);
    if (decl) continue;
    if (decls.length === 0) {
      throw new BarwiseError('USAGE', `${nameParam(where, name)}: the scanner declares no parameters`,
        'Declare it in the scanner first (docs: README, "Parameters"), or drop it.');
    }
    const names = decls.map((d) => d.name);
    const close = findClosestWord(name, names);
    throw new BarwiseError('USAGE', `${nameParam(where, name)}: the scanner declares no parameter "${name}"${close ? `; did you mean ${close}?` : ''}`,
      `Declared: ${decls.map(describeDecl).join(', ')}.`);
  }
  const out: Record<string, ParamValue> = {};
  for (const decl of [...decls].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Own keys only: a parameter named like an Object.prototype member (`constructor`) is not "given" by every object.
    const v = Object.hasOwn(given, decl.name) ? given[decl.name] : undefined;
    out[decl.name] = v === undefined ? decl.default : convertParam(decl, v, where);
  }
  return Object.freeze(out);
}

/** `given` as the declared type: text is parsed (`2.5`, `true`), typed values must already be of the type. */
export function convertParam(decl: ParamDecl, v: string | ParamValue, where: string): ParamValue {
  const fail = (): never => {
    const got = typeof v === 'string' ? `"${v}"` : String(v);
    throw new BarwiseError('USAGE', `${nameParam(where, decl.name)} must be ${describeType(decl.type)}, got ${got}`,
      `The scanner declares ${describeDecl(decl)}.`);
  };
  if (typeof v === 'string' && v.trim() === '' && decl.type !== 'string') fail();
  if (typeof v === 'string' && v === '') fail();
  switch (decl.type) {
    case 'integer': {
      const n = typeof v === 'string' ? (/^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN) : v;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) fail();
      return n as number;
    }
    case 'number': {
      const n = typeof v === 'string' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail();
      return n as number;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return fail();
    case 'string':
      if (typeof v !== 'string') fail();
      return v;
  }
}

/** The type of a declared default: a whole number is `integer`, other numbers `number`. */
export function inferParamType(value: ParamValue): ParamDecl['type'] {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return Number.isInteger(value) ? 'integer' : 'number';
}

/** `vol_mult = 2 (integer)`, as messages show a declaration. */
export function describeDecl(d: ParamDecl): string {
  return `${d.name} = ${typeof d.default === 'string' ? `'${d.default}'` : String(d.default)} (${d.type})`;
}

function describeType(t: ParamDecl['type']): string {
  return t === 'integer' ? 'a whole number (integer)' : t === 'number' ? 'a number' : t === 'boolean' ? 'true or false' : 'a string';
}

/** `--param vol_mult` on the CLI, `options.params.vol_mult` in the library, `jobs[0].options.params.vol_mult` in a batch. */
export function nameParam(where: string, name: string): string {
  return where.startsWith('--') ? `${where} ${name}` : `${where}.${name}`;
}

/**
 * A module's `params: { orBars: 6, volMult: 2 }` as declarations. Every number is type `number`: JavaScript has
 * one number type (`2` and `2.0` are the same value), so a module that needs a whole number rounds or checks it.
 */
export function readModuleParams(value: unknown, where: string): ParamDecl[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BarwiseError('SCANNER_INVALID', `${where}: params must be an object of defaults, e.g. { orBars: 6, volMult: 2 }, got ${JSON.stringify(value)}`);
  }
  return Object.entries(value as Record<string, unknown>).map(([name, v]) => {
    checkParamName(name, where);
    if (typeof v === 'number' && Number.isFinite(v)) return { name, type: 'number' as const, default: v };
    if (typeof v === 'string' || typeof v === 'boolean') return { name, type: inferParamType(v), default: v };
    throw new BarwiseError('SCANNER_INVALID', `${where}: params.${name} must default to a number, a string or true/false, got ${JSON.stringify(v) ?? String(v)}`);
  });
}

/**
 * One declaration as an SQL header or a script comment writes it, `vol_mult = 2`: the type comes from the
 * literal, `2` integer, `2.5` (or `2.0`) number, `'text'` string, `true`/`false` boolean.
 */
export function parseParamDecl(text: string, where: string): ParamDecl {
  const m = /^\s*([^\s=]+)\s*=\s*(.*?)\s*$/.exec(text);
  const example = "e.g. vol_mult = 2.5, or_bars = 6, side = 'long', strict = true";
  if (!m) throw new BarwiseError('SCANNER_INVALID', `${where}: a parameter is declared as name = default, got "${text.trim()}"`, `For example ${example}.`);
  const [, name, literal] = m;
  checkParamName(name, where);
  let value: ParamValue;
  let type: ParamDecl['type'];
  if (/^[+-]?\d+$/.test(literal) && Number.isSafeInteger(Number(literal))) [value, type] = [Number(literal), 'integer'];
  else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(literal) && Number.isFinite(Number(literal))) [value, type] = [Number(literal), 'number'];
  else if (literal === 'true' || literal === 'false') [value, type] = [literal === 'true', 'boolean'];
  else if (/^'(?:[^']|'')*'$/.test(literal)) [value, type] = [literal.slice(1, -1).replace(/''/g, "'"), 'string'];
  else {
    throw new BarwiseError('SCANNER_INVALID', `${where}: parameter ${name} has no default of a known type: "${literal}"`,
      `A default is a number (2, 2.5), a quoted string ('long') or true/false; ${example}.`);
  }
  return { name, type, default: value };
}

/** Names declared twice are refused: which default would apply is then anybody's guess. */
export function checkUniqueParams(decls: readonly ParamDecl[], where: string): void {
  const seen = new Set<string>();
  for (const d of decls) {
    if (seen.has(d.name)) throw new BarwiseError('SCANNER_INVALID', `${where}: parameter ${d.name} is declared twice`, 'Keep one declaration.');
    seen.add(d.name);
  }
}

function checkParamName(name: string, where: string): void {
  // `__proto__` would be the object's prototype, not a key, in every plain object holding the values.
  if (!PARAM_NAME.test(name) || name === '__proto__') {
    throw new BarwiseError('SCANNER_INVALID', `${where}: "${name}" is not a parameter name`,
      'A name is letters, digits and _, starting with a letter or _ (e.g. vol_mult, orBars).');
  }
}

/** The parameters as JSON with sorted keys (BARWISE_PARAMS): equal values, equal text. */
export function formatParamsJson(params: ScannerParams): string {
  return JSON.stringify(Object.fromEntries(Object.keys(params).sort().map((k) => [k, params[k]])));
}
