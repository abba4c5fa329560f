/**
 * Which CSV column holds which field: the header as barwise names the columns
 * (`ticker,timestamp,open,high,low,close,volume`), or a vendor's header through `--columns`
 * (`date=Date,time=Time,open=Open,…`). Resolved once per file from its header line.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';

export const CSV_COLUMNS = ['ticker', 'timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * Fields `--columns` may name: the columns above, or `date` (with or without a separate `time` column)
 * in place of `timestamp` for files that split the two.
 */
export const COLUMN_TARGETS = ['ticker', 'timestamp', 'date', 'time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type ColumnTarget = (typeof COLUMN_TARGETS)[number];

/** `--columns` as given: field → the file's header name. */
export type ColumnSpec = Partial<Record<ColumnTarget, string>>;

/**
 * Column positions resolved once from the header. `ticker` is -1 when the file name supplies it; `time` is
 * the position of a separate time column (joined to `timestamp`'s date with a space), else -1; `width` is how
 * many fields every row must have (the header's).
 */
export type ColumnMap = Record<CsvColumn, number> & { time: number; width: number };

const normalise = (h: string) => h.trim().toLowerCase().replace(/^\uFEFF/, '');

/** `date=Date,open=Open` → `{ date: 'Date', open: 'Open' }`; a usage error naming the bad item otherwise. */
export function parseColumnsOption(text: string, option = '--columns'): ColumnSpec {
  const spec: ColumnSpec = {};
  const example = `${option} date=Date,time=Time,open=Open,high=High,low=Low,close=Close,volume=Volume`;
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    const target = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const source = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (eq < 0 || source === '') throw new BarwiseError('USAGE', `${option} ${item}: write FIELD=HEADER, e.g. open=Open`, `For example ${example}.`);
    if (!(COLUMN_TARGETS as readonly string[]).includes(target)) {
      const close = findClosestWord(target, COLUMN_TARGETS);
      throw new BarwiseError('USAGE', `${option}: "${target}" is not a field barwise imports${close ? `; did you mean ${close}?` : ''}`,
        `Fields: ${COLUMN_TARGETS.join(', ')} (date, with or without time, in place of timestamp).`);
    }
    if (spec[target as ColumnTarget] !== undefined) throw new BarwiseError('USAGE', `${option}: ${target} is mapped twice`, 'Map each field once.');
    spec[target as ColumnTarget] = source;
  }
  if (Object.keys(spec).length === 0) throw new BarwiseError('USAGE', `${option} is empty`, `For example ${example}.`);
  if (spec.timestamp !== undefined && (spec.date !== undefined || spec.time !== undefined)) {
    throw new BarwiseError('USAGE', `${option}: map either timestamp, or date (and time), not both`, 'timestamp is one column with date and time; date and time are two.');
  }
  if (spec.time !== undefined && spec.date === undefined) {
    throw new BarwiseError('USAGE', `${option}: time=${spec.time} needs date=… too`, 'Map the column with the date as date, e.g. date=Date,time=Time.');
  }
  return spec;
}

/**
 * Reads a header, or returns what is wrong with it. Without `--columns`, unknown columns are an error (a
 * misspelt `colse` would otherwise import silently as nothing); with it, columns it does not name and that
 * are not barwise's own names are left out (vendor files carry extras such as "Adj Close"). A missing `ticker`
 * column is allowed when the file name gives the ticker.
 */
export function mapHeader(header: string[], tickerFromName: string | null, spec: ColumnSpec | null = null): ColumnMap | string {
  const names = header.map(normalise);
  if (!spec) {
    const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
    if (unknown.length > 0) {
      return `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${CSV_COLUMNS.join(',')} (or pass --columns to map other names)`;
    }
  }
  const positionOf = (target: ColumnTarget): number | string => {
    const wanted = spec?.[target];
    const name = normalise(wanted ?? target);
    const at = names.indexOf(name);
    if (at >= 0 && names.lastIndexOf(name) !== at) return `column "${wanted ?? target}" appears twice`;
    if (at < 0 && wanted !== undefined) return `has no column "${wanted}" (--columns ${target}=${wanted}); its columns: ${header.map((h) => h.trim()).join(', ')}`;
    return at;
  };
  const map = { time: -1, width: header.length } as ColumnMap;
  const dated = spec?.date !== undefined;
  for (const col of CSV_COLUMNS) {
    const at = positionOf(col === 'timestamp' && dated ? 'date' : col);
    if (typeof at === 'string') return at;
    if (at < 0 && !(col === 'ticker' && tickerFromName)) return `missing column "${col}"${spec ? ` (map it with --columns ${col}=NAME)` : ''}`;
    map[col] = at;
  }
  if (spec?.time !== undefined) {
    const at = positionOf('time');
    if (typeof at === 'string') return at;
    map.time = at;
  }
  return map;
}
