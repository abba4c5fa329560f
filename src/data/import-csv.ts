/**
 * `barwise import`: CSV (or .csv.gz) files → `ohlcv_data`. Streaming, so files larger than memory are
 * fine; one transaction for the whole import, so an abort (a bad row under --strict, a crash, Ctrl-C)
 * leaves the database exactly as it was; an upsert on (ticker, timestamp, timeframe), so importing the
 * same file twice changes nothing.
 *
 * Within one import a bar (ticker, timestamp) is taken once: a repeated identical row is skipped, and a
 * repeated row with other prices is a conflict, reported with both lines, the first standing (a vendor file
 * that disagrees with itself needs a person, not a silent "last wins"). An existing database is checked
 * before anything is written: its ohlcv_data must have every column and the unique key the upsert needs,
 * and its journal mode is left as it is (only a database the import creates is switched to WAL).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse';
import Database from 'better-sqlite3';
import { BarwiseError } from '../errors.js';
import { DEFAULT_TIMEFRAME, OHLCV_TABLE_SQL } from './schema.js';
import { checkImportTarget } from './check-import-target.js';
import { checkOutputPaths } from '../config/check-output-paths.js';
import { parseBarRow, tickerFromFileName, type BadRowKind } from './parse-bar-row.js';
import { mapHeader, type ColumnMap, type ColumnSpec } from './csv-columns.js';
import { makeZoneClock } from './zoned-time.js';
import { exchangeSecondOfDay } from './exchange-time.js';
import { summarizeImport, type ImportSummary } from './summarize-import.js';

export interface ImportOptions {
  /** A CSV / CSV.gz file, or a directory of them. */
  source: string;
  /** Target SQLite file; created with the `ohlcv_data` schema when missing. */
  dbPath: string;
  timeframe?: string;
  /** Abort (and write nothing) at the first bad row instead of skipping it. */
  strict?: boolean;
  /** IANA zone of timestamps without a UTC offset (`2025-11-03 09:30:00`); without it they are bad rows. */
  timeZone?: string;
  /** Header names of the fields, for files that name their columns otherwise (csv-columns.ts). */
  columns?: ColumnSpec;
}

export interface BadRow {
  file: string;
  line: number;
  reason: string;
}

export interface DuplicateRow extends BadRow {
  /** Where the bar this row repeats was read. */
  firstFile: string;
  firstLine: number;
}

export interface ImportReport {
  files: string[];
  rowsRead: number;
  /** Distinct bars written (inserted, or replacing the database's bar of the same key). */
  rowsImported: number;
  badRowCount: number;
  /** The first bad rows, for display (all are counted in badRowCount). */
  badRows: BadRow[];
  /** Rows repeating an earlier row of this import exactly: skipped. */
  repeatedRowCount: number;
  /** Rows giving an earlier row's ticker and time other prices or volume: skipped, the first stands. */
  conflictCount: number;
  /** The first conflicts, for display. */
  conflicts: DuplicateRow[];
  /** Bad rows by what was wrong with them (every bad row counted once). */
  badRowsByKind: Partial<Record<BadRowKind, number>>;
  /** Bars written that start outside the regular session (09:30–16:00 New York). */
  outsideRegularHours: number;
  /** What the bars written cover; null when none was. */
  summary: ImportSummary | null;
}

export interface ImportHooks {
  onProgress?(bytesDone: number, bytesTotal: number): void;
  /** Lets the caller abort between rows (Ctrl-C): the transaction is rolled back. */
  signal?: AbortSignal;
}

const KEPT_BAD_ROWS = 50;
/** The regular session, seconds after New York midnight: bars starting 09:30 up to (not including) 16:00. */
const REGULAR_OPEN_S = 9.5 * 3600;
const REGULAR_CLOSE_S = 16 * 3600;

export function listCsvFiles(source: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new BarwiseError('CSV_UNREADABLE', `CSV source not found: ${source}`, 'Pass --csv with a .csv/.csv.gz file or a directory of them.');
  }
  if (stat.isFile()) return [source];
  const files = fs.readdirSync(source)
    .filter((f) => /\.csv(\.gz)?$/i.test(f))
    .sort()
    .map((f) => path.join(source, f));
  if (files.length === 0) {
    throw new BarwiseError('CSV_UNREADABLE', `no .csv or .csv.gz files in ${source}`, 'Point --csv at a file or a directory holding CSV files.');
  }
  return files;
}

export function openWritableStore(dbPath: string): Database.Database {
  const existing = fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const db = new Database(dbPath);
  try {
    if (existing) checkImportTarget(db, dbPath);
    else db.pragma('journal_mode = WAL');
    db.exec(OHLCV_TABLE_SQL);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export async function importCsv(options: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const files = listCsvFiles(options.source);
  // Checked before any file is opened: a bad zone is the caller's mistake, not the data's.
  const clock = options.timeZone !== undefined ? makeZoneClock(options.timeZone) : null;
  checkOutputPaths(files.map((f) => ({ option: '--csv', path: f })), [{ option: '--db', path: options.dbPath, sqlite: true }]);
  const timeframe = options.timeframe ?? DEFAULT_TIMEFRAME;
  const bytesTotal = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const created = !fs.existsSync(options.dbPath);
  const db = openWritableStore(options.dbPath);
  const upsert = db.prepare(
    `INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day)
     VALUES (@ticker, @timestamp, @open, @high, @low, @close, @volume, @timeframe, @time_of_day)
     ON CONFLICT (ticker, timestamp, timeframe) DO UPDATE SET
       open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
       volume = excluded.volume, time_of_day = excluded.time_of_day`,
  );
  // Where each bar of this import was read, to tell repeats and conflicts from bars the database held before;
  // the values to compare are those the upsert wrote. A temp table (SQLite's temp store, not the database
  // file) with a bounded cache, so that memory stays flat for any file size.
  db.pragma('temp.cache_size = -32768');
  db.exec('CREATE TEMP TABLE import_seen (ticker TEXT NOT NULL, timestamp INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (ticker, timestamp)) WITHOUT ROWID');
  const remember = db.prepare('INSERT INTO temp.import_seen VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const earlier = db.prepare(`SELECT s.at, d.open, d.high, d.low, d.close, d.volume FROM temp.import_seen s
    JOIN main.ohlcv_data d ON d.ticker = s.ticker AND d.timestamp = s.timestamp AND d.timeframe = ?
    WHERE s.ticker = ? AND s.timestamp = ?`);
  const report: ImportReport = {
    files, rowsRead: 0, rowsImported: 0, badRowCount: 0, badRows: [], repeatedRowCount: 0, conflictCount: 0, conflicts: [],
    badRowsByKind: {}, outsideRegularHours: 0, summary: null,
  };
  /** One CSV record: counted, checked, then written unless bad or a repeat of a bar of this import. */
  const importRow = (file: string, fileIndex: number, record: string[], line: number, map: ColumnMap, tickerFromName: string | null): void => {
    if (hooks.signal?.aborted) throw new BarwiseError('INTERRUPTED', 'import interrupted; nothing was written');
    report.rowsRead++;
    const res = parseBarRow(record, map, tickerFromName, clock);
    if (!res.ok) {
      report.badRowCount++;
      report.badRowsByKind[res.kind] = (report.badRowsByKind[res.kind] ?? 0) + 1;
      if (report.badRows.length < KEPT_BAD_ROWS) report.badRows.push({ file, line, reason: res.reason });
      if (options.strict) {
        throw new BarwiseError('CSV_BAD_ROW', `${file}:${line}: ${res.reason}`,
          'Fix the row, or drop --strict to skip bad rows and count them. Nothing was imported.');
      }
      return;
    }
    // File and line in one integer: lines stay far below 2^32 and files few.
    if (remember.run(res.bar.ticker, res.bar.timestamp, fileIndex * 2 ** 32 + line).changes === 0) {
      const row = earlier.get(timeframe, res.bar.ticker, res.bar.timestamp) as { at: number } & Record<'open' | 'high' | 'low' | 'close' | 'volume', number>;
      const first = { ...row, file: Math.floor(row.at / 2 ** 32), line: row.at % 2 ** 32 };
      const b = res.bar;
      if (first.open === b.open && first.high === b.high && first.low === b.low && first.close === b.close && first.volume === b.volume) {
        report.repeatedRowCount++;
        return;
      }
      const conflict = { file, line, firstFile: files[first.file], firstLine: first.line,
        reason: `${b.ticker} ${b.time_of_day} (${new Date(b.timestamp).toISOString()}) was already read with other values at ${files[first.file]}:${first.line}; the first is kept` };
      report.conflictCount++;
      if (report.conflicts.length < KEPT_BAD_ROWS) report.conflicts.push(conflict);
      if (options.strict) {
        throw new BarwiseError('CSV_BAD_ROW', `${file}:${line}: ${conflict.reason}`,
          'Keep one row per ticker and time, or drop --strict to keep the first and count the rest. Nothing was imported.');
      }
      return;
    }
    upsert.run({ ...res.bar, timeframe });
    report.rowsImported++;
    const second = exchangeSecondOfDay(res.bar.timestamp);
    if (second < REGULAR_OPEN_S || second >= REGULAR_CLOSE_S) report.outsideRegularHours++;
  };
  let bytesBefore = 0;
  db.exec('BEGIN');
  try {
    for (const [fileIndex, file] of files.entries()) {
      const size = fs.statSync(file).size;
      await importFile(file, options.columns ?? null, (bytes) => hooks.onProgress?.(bytesBefore + bytes, bytesTotal), (record, line, map, tickerFromName) => {
        try {
          importRow(file, fileIndex, record, line, map, tickerFromName);
        } catch (err) {
          throw describeWriteError(err, options.dbPath, `while importing ${file}:${line}`);
        }
      });
      bytesBefore += size;
      hooks.onProgress?.(bytesBefore, bytesTotal);
    }
    if (hooks.signal?.aborted) throw new BarwiseError('INTERRUPTED', 'import interrupted; nothing was written');
    report.summary = summarizeImport(db);
    try {
      db.exec('COMMIT');
    } catch (err) {
      throw describeWriteError(err, options.dbPath, 'while committing the import');
    }
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    if (created) removeDatabase(options.dbPath);
    throw err;
  }
  db.close();
  // A database made for an import that found no bar would only be an empty file to trip over later.
  if (created && report.rowsImported === 0) removeDatabase(options.dbPath);
  return report;
}

function removeDatabase(dbPath: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbPath + suffix, { force: true });
}

/**
 * An error while writing a row or committing is the database's, not the CSV's: say so, with where it happened.
 * Errors barwise raised itself (a bad row under --strict, Ctrl-C) pass as they are.
 */
function describeWriteError(err: unknown, dbPath: string, where: string): unknown {
  if (err instanceof BarwiseError || !(err instanceof Error)) return err;
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_BUSY') {
    return new BarwiseError('DB_LOCKED', `cannot import into ${dbPath}: it is locked by another process (waited 5 s, ${where})`,
      'Wait for the process writing to it to finish and import again; nothing of this import was written.');
  }
  const full = code === 'SQLITE_FULL' ? ' (the disk is full)' : '';
  return new BarwiseError('DB_WRITE', `cannot write to ${dbPath}${full} ${where}: ${err.message}`,
    `${full ? 'Free disk space' : 'Check that the database file is writable'} and import again; nothing of this import was written.`);
}

type RowSink = (record: string[], line: number, map: ColumnMap, tickerFromName: string | null) => void;

async function importFile(file: string, columns: ColumnSpec | null, onBytes: (n: number) => void, sink: RowSink): Promise<void> {
  let bytes = 0;
  const input = fs.createReadStream(file);
  input.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  let map: ColumnMap | null = null;
  let tickerFromName: string | null = null;
  const consumer = new Writable({
    objectMode: true,
    write(item: { record: string[]; info: { lines: number } }, _enc, done) {
      try {
        if (map === null) {
          const head = item.record.join(',');
          if (head.includes('\u0000') || head.includes('\uFFFD')) {
            throw new BarwiseError('CSV_UNREADABLE', `${file} is not UTF-8 text${head.includes('\u0000') ? ' (it looks like UTF-16)' : ''}`,
              'Save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8 in.csv > out.csv`) and import again.');
          }
          const tickerColumn = (columns?.ticker ?? 'ticker').trim().toLowerCase();
          const hasTicker = item.record.some((h) => h.trim().toLowerCase().replace(/^\uFEFF/, '') === tickerColumn);
          tickerFromName = hasTicker ? null : tickerFromFileName(file);
          const mapped = mapHeader(item.record, tickerFromName, columns);
          if (typeof mapped === 'string') {
            throw new BarwiseError('CSV_UNREADABLE', `${file}: header ${mapped}`,
              columns
                ? 'Name in --columns the header of each field as the file spells it, e.g. --columns date=Date,open=Open,high=High,low=Low,close=Close,volume=Volume.'
                : 'The first line must name the columns: ticker,timestamp,open,high,low,close,volume (ticker may be left out when the file is named after it); --columns maps other names.');
          }
          map = mapped;
        } else {
          sink(item.record, item.info.lines, map, tickerFromName);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    if (/\.gz$/i.test(file)) await pipeline(input, zlib.createGunzip(), parser, consumer);
    else await pipeline(input, parser, consumer);
  } catch (err) {
    if (err instanceof BarwiseError) throw err;
    throw new BarwiseError('CSV_UNREADABLE', `${file}: ${(err as Error).message}`,
      'Check that the file is CSV text (gzip-compressed if it ends in .gz).');
  }
}
