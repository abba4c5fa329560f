/**
 * SQL scanners: one SELECT over the day database, run at every step. Every returned row is a signal.
 * Declared parameters (`-- param: vol_mult = 1.5`) are bound as `:vol_mult` on every execution, beside
 * barwise's own bindings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';
import type { DayDb, ReadOnlyStatement } from '../day-db/day-db.js';
import type { ScanResult } from '../types.js';
import { parseSqlHeader, type ScannerMeta } from './scanner-options.js';
import { describeDecl, type ParamDecl, type ScannerParams } from './scanner-params.js';
import type { DayState, StepScanner } from './step-scanner.js';

/** The named parameters every SQL scanner may use. */
export const SQL_PARAMS = ['ticker', 'date', 'as_of', 'time', 'day_start'] as const;

export function readSqlScannerMeta(file: string): ScannerMeta & { sql: string } {
  const sql = fs.readFileSync(file, 'utf8');
  const header = parseSqlHeader(sql, file);
  for (const d of header.params ?? []) {
    if ((SQL_PARAMS as readonly string[]).includes(d.name)) {
      throw new BarwiseError('SCANNER_INVALID', `${file}: parameter ${d.name} has the name of one of barwise's own bindings (:${d.name})`,
        `Rename it; barwise binds ${SQL_PARAMS.map((p) => `:${p}`).join(', ')} itself.`);
    }
  }
  return {
    path: file,
    kind: 'sql',
    name: header.name || path.basename(file, path.extname(file)),
    description: header.description,
    warmup: header.warmup,
    references: header.references,
    lookbackDays: header.lookbackDays,
    dailyBars: header.dailyBars,
    ...(header.params ? { params: header.params } : {}),
    sql,
  };
}

/**
 * Parameter values as SQLite bindings, by declared type: an integer binds as an SQLite INTEGER (a BigInt:
 * better-sqlite3 binds every JS number as REAL, and `x / :n` must divide as `x / 6` does), a number as
 * REAL, a boolean as 1 or 0 (as SQLite spells true and false), a string as TEXT.
 */
export function bindSqlParams(decls: readonly ParamDecl[], params: ScannerParams): Record<string, number | bigint | string> {
  const out: Record<string, number | bigint | string> = {};
  for (const d of decls) {
    const v = params[d.name] ?? d.default;
    out[d.name] = d.type === 'integer' ? BigInt(v as number) : d.type === 'boolean' ? (v ? 1n : 0n) : (v as number | string);
  }
  return out;
}

export function createSqlScanner(file: string, dayDb: DayDb, params: ScannerParams = {}): StepScanner {
  const meta = readSqlScannerMeta(file);
  const bound = bindSqlParams(meta.params ?? [], params);
  const stmt = prepareScannerSql(meta.sql, file, dayDb, meta.params ?? [], bound);
  // One bindings object, filled in place at each step (stmt.all binds synchronously): no object is built per
  // step, however many parameters are declared.
  const args: Record<string, unknown> = { ticker: '', date: '', as_of: 0, time: '', day_start: 0, ...bound };
  return {
    meta,
    scan(day: DayState, index: number): ScanResult {
      const bar = day.bars[index];
      args.ticker = day.ticker;
      args.date = day.date;
      args.as_of = bar.timestamp;
      args.time = bar.time_of_day;
      args.day_start = day.dayStartMs;
      return stmt.all(args) as ScanResult;
    },
  };
}

function prepareScannerSql(sql: string, file: string, dayDb: DayDb, decls: readonly ParamDecl[], bound: Record<string, unknown>): ReadOnlyStatement {
  let stmt: ReadOnlyStatement;
  // The one statement is known now: reference rows go into the day database only if it can read them.
  dayDb.onlyReferencesRead();
  try {
    stmt = dayDb.readOnly.prepare(sql);
  } catch (err) {
    if (err instanceof BarwiseError) throw new BarwiseError(err.code, `${file}: ${err.message}`, err.hint);
    throw new BarwiseError('SCANNER_LOAD', `${file}: ${(err as Error).message}`,
      'An SQL scanner is one SELECT over ohlcv_data(ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day).');
  }
  if (!stmt.reader) {
    throw new BarwiseError('SCANNER_INVALID', `${file}: the statement returns no rows; an SQL scanner must be a SELECT`);
  }
  // A dry run on the empty table catches parameter typos (":tickr") before any worker starts.
  try {
    stmt.all({ ...bound, ticker: '', date: '', as_of: 0, time: '', day_start: 0 });
  } catch (err) {
    if (err instanceof BarwiseError) throw new BarwiseError(err.code, `${file}: ${err.message}`, err.hint);
    const msg = (err as Error).message;
    const own = SQL_PARAMS.map((p) => `:${p}`).join(', ');
    const missing = /^Missing named parameter "(.+)"$/.exec(msg)?.[1];
    if (missing !== undefined) {
      const declared = decls.length > 0 ? `its declared parameters: ${decls.map(describeDecl).join(', ')}` : 'it declares no parameters';
      const close = findClosestWord(missing, [...SQL_PARAMS, ...decls.map((d) => d.name)]);
      throw new BarwiseError('SCANNER_INVALID',
        `${file}: ${msg}: :${missing} is neither one of barwise's bindings nor a declared parameter (${declared})${close ? `; did you mean :${close}?` : ''}`,
        `Available parameters: ${own}${decls.length > 0 ? `, ${decls.map((d) => `:${d.name}`).join(', ')}` : ''}; or declare it in the header, e.g. -- param: ${missing} = 2.`);
    }
    throw new BarwiseError('SCANNER_INVALID', `${file}: ${msg}`, `Available parameters: ${own}.`);
  }
  return stmt;
}
