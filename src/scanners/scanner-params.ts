/**
 * Scanner parameters: values a scanner declares with a default (a module's `params`, an SQL scanner's
 * `-- param: name = value`, a script's `// barwise: param:name=value`) and a run may set (`--param name=value`,
 * `options.params`). A run resolves them once, against the declarations, into ScannerParams: every declared
 * name, defaults filled, keys sorted, so equal values give an equal plan (and hash) whatever order they were
 * given in. The same ScannerParams reach the scanner in every worker.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../batch/closest-word.js';

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
    const v = given[decl.name];
    out[decl.name] = v === undefined ? decl.default : convertParam(decl, v, where);
  }
  return Object.freeze(out);
}

/** `given` as the declared type: text is parsed (`2.5`, `true`), typed values must already be of the type. */
export function convertParam(decl: ParamDecl, v: string | ParamValue, where: string): ParamValue {
  const fail = (): never => {
    const got = typeof v === 'string' ? `"${v}"` : String(v);
    throw new BarwiseError('USAGE', `${nameParam(where, decl.name)}: ${decl.name} is ${article(decl.type)} ${describeType(decl.type)}, got ${got}`,
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
  return t === 'integer' ? 'integer parameter (a whole number)' : t === 'number' ? 'number parameter' : t === 'boolean' ? 'boolean parameter (true or false)' : 'string parameter';
}

function article(t: ParamDecl['type']): string {
  return t === 'integer' ? 'an' : 'a';
}

/** `--param vol_mult` on the CLI, `options.params.vol_mult` in the library, `jobs[0].options.params.vol_mult` in a batch. */
export function nameParam(where: string, name: string): string {
  return where.startsWith('--') ? `${where} ${name}` : `${where}.${name}`;
}
