/**
 * SQL scanners: one SELECT over the day database, run at every step. Every returned row is a signal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import type { DayDb, ReadOnlyStatement } from '../day-db/day-db.js';
import type { ScanResult } from '../types.js';
import { parseSqlHeader, type ScannerMeta } from './scanner-options.js';
import type { ScannerParams } from './scanner-params.js';
import type { DayState, StepScanner } from './step-scanner.js';

/** The named parameters every SQL scanner may use. */
export const SQL_PARAMS = ['ticker', 'date', 'as_of', 'time', 'day_start'] as const;

export function readSqlScannerMeta(file: string): ScannerMeta & { sql: string } {
  const sql = fs.readFileSync(file, 'utf8');
  const header = parseSqlHeader(sql, file);
  return {
    path: file,
    kind: 'sql',
    name: header.name || path.basename(file, path.extname(file)),
    description: header.description,
    warmup: header.warmup,
    references: header.references,
    lookbackDays: header.lookbackDays,
    dailyBars: header.dailyBars,
    sql,
  };
}

export function createSqlScanner(file: string, dayDb: DayDb, params: ScannerParams = {}): StepScanner {
  const meta = readSqlScannerMeta(file);
  const stmt = prepareScannerSql(meta.sql, file, dayDb);
  return {
    meta,
    scan(day: DayState, index: number): ScanResult {
      const bar = day.bars[index];
      return stmt.all({
        ticker: day.ticker,
        date: day.date,
        as_of: bar.timestamp,
        time: bar.time_of_day,
        day_start: day.dayStartMs,
      }) as ScanResult;
    },
  };
}

function prepareScannerSql(sql: string, file: string, dayDb: DayDb): ReadOnlyStatement {
  let stmt: ReadOnlyStatement;
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
    stmt.all({ ticker: '', date: '', as_of: 0, time: '', day_start: 0 });
  } catch (err) {
    if (err instanceof BarwiseError) throw new BarwiseError(err.code, `${file}: ${err.message}`, err.hint);
    const msg = (err as Error).message;
    const hint = `Available parameters: ${SQL_PARAMS.map((p) => `:${p}`).join(', ')}.`;
    throw new BarwiseError('SCANNER_INVALID', `${file}: ${msg}`, hint);
  }
  return stmt;
}
