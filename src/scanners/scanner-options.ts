/**
 * Options a scanner declares about itself (SQL header comments, module fields). CLI flags override them.
 */
import { BarwiseError } from '../errors.js';
import type { ScannerKind } from '../types.js';

export interface ScannerMeta {
  /** Absolute path of the scanner file. */
  path: string;
  kind: ScannerKind;
  name: string;
  description?: string;
  /** Warmup the scanner asks for; undefined leaves it to flags or the default. */
  warmup?: number;
}

/** Header keys an SQL scanner may set, and those reserved for features that are not built yet. */
export const SQL_HEADER_KEYS = ['name', 'description', 'warmup'] as const;
const NOT_YET_KEYS = ['references', 'lookback-days', 'daily-bars', 'persistent'];

export function parseWarmup(value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new BarwiseError('SCANNER_INVALID', `${where}: warmup must be a whole number of bars ≥ 0, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Reads `-- key: value` lines from the comment block at the top of an SQL scanner. A line whose key looks
 * like an option (lowercase word, hyphens allowed) must be a known option; prose comments pass through.
 */
export function parseSqlHeader(text: string, file: string): { name?: string; description?: string; warmup?: number } {
  const out: { name?: string; description?: string; warmup?: number } = {};
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
      default:
        throw new BarwiseError('SCANNER_INVALID', `${file}: unknown header option "${key}"`,
          `Known options: ${SQL_HEADER_KEYS.join(', ')}. Write prose comments without a "word:" prefix.`);
    }
  }
  return out;
}
