/**
 * Options a scanner declares about itself (SQL header comments, module fields). CLI flags override them.
 */
import { BarwiseError } from '../errors.js';
import type { ScannerKind } from '../types.js';
import { checkUniqueParams, parseParamDecl, type ParamDecl } from './scanner-params.js';

export interface ScannerMeta {
  /** Absolute path of the scanner file. */
  path: string;
  kind: ScannerKind;
  name: string;
  description?: string;
  /** Warmup the scanner asks for; undefined leaves it to flags or the default. */
  warmup?: number;
  /** Reference tickers, previous trading days and daily bars it asks for (see day-context.ts). */
  references?: string[];
  lookbackDays?: number;
  dailyBars?: number;
  /** Parameters it declares, with their defaults (see scanner-params.ts); absent: none. */
  params?: readonly ParamDecl[];
}

export type ContextOptions = Pick<ScannerMeta, 'references' | 'lookbackDays' | 'dailyBars'>;

/** Most previous days / daily bars a run may ask for: enough for any intraday scanner, bounded memory. */
export const MAX_LOOKBACK_DAYS = 250;
export const MAX_DAILY_BARS = 5000;

/** Header keys an SQL scanner may set, and those reserved for features that are not built yet. */
export const SQL_HEADER_KEYS = ['name', 'description', 'warmup', 'references', 'lookback-days', 'daily-bars', 'param'] as const;
const NOT_YET_KEYS = ['persistent'];

export function parseWarmup(value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new BarwiseError('SCANNER_INVALID', `${where}: warmup must be a whole number of bars ≥ 0, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** `SPY, qqq` or ['SPY', 'qqq'] → ['SPY', 'QQQ'] (upper case, no repeats, order kept). */
export function parseReferences(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? value.split(/[,\s]+/) : value;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) {
    throw new BarwiseError('SCANNER_INVALID', `${where}: references must be a list of tickers, e.g. SPY,QQQ; got ${JSON.stringify(value)}`);
  }
  return [...new Set(list.map((t: string) => t.trim().toUpperCase()).filter((t) => t !== ''))];
}

export function parseCount(value: unknown, where: string, name: string, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new BarwiseError('SCANNER_INVALID', `${where}: ${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Context options as a module declares them (`references`, `lookbackDays`, `dailyBars`), checked. */
export function parseContextOptions(o: { references?: unknown; lookbackDays?: unknown; dailyBars?: unknown }, where: string): ContextOptions {
  const out: ContextOptions = {};
  if (o.references !== undefined) out.references = parseReferences(o.references, `${where}: references`);
  if (o.lookbackDays !== undefined) out.lookbackDays = parseCount(o.lookbackDays, where, 'lookbackDays', MAX_LOOKBACK_DAYS);
  if (o.dailyBars !== undefined) out.dailyBars = parseCount(o.dailyBars, where, 'dailyBars', MAX_DAILY_BARS);
  return out;
}

/**
 * Reads `-- key: value` lines from the comment block at the top of an SQL scanner. A line whose key looks
 * like an option (lowercase word, hyphens allowed) must be a known option; prose comments pass through.
 */
export function parseSqlHeader(text: string, file: string): { name?: string; description?: string; warmup?: number; params?: ParamDecl[] } & ContextOptions {
  const out: { name?: string; description?: string; warmup?: number; params?: ParamDecl[] } & ContextOptions = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const m = /^--\s*([a-z][a-z0-9-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    if (NOT_YET_KEYS.includes(key)) {
      throw new BarwiseError('NOT_YET', `${file}: the scanner option "${key}" is not supported yet`,
        'Remove that header line for now; the feature is planned.');
    }
    switch (key as (typeof SQL_HEADER_KEYS)[number]) {
      case 'name':
        out.name = value.trim();
        break;
      case 'description':
        out.description = out.description ? `${out.description} ${value.trim()}` : value.trim();
        break;
      case 'warmup':
        out.warmup = parseWarmup(value, file);
        break;
      case 'references':
        out.references = parseReferences(value, `${file}: references`);
        break;
      case 'lookback-days':
        out.lookbackDays = parseCount(value, file, 'lookback-days', MAX_LOOKBACK_DAYS);
        break;
      case 'daily-bars':
        out.dailyBars = parseCount(value, file, 'daily-bars', MAX_DAILY_BARS);
        break;
      case 'param':
        (out.params ??= []).push(parseParamDecl(value, file));
        break;
      default:
        throw new BarwiseError('SCANNER_INVALID', `${file}: unknown header option "${key}"`,
          `Known options: ${SQL_HEADER_KEYS.join(', ')}. Write prose comments without a "word:" prefix.`);
    }
  }
  if (out.params) checkUniqueParams(out.params, file);
  return out;
}
