/**
 * `barwise import`: CSV (or .csv.gz) files → `ohlcv_data`. Streaming, so files larger than memory are
 * fine; one transaction for the whole import, so an abort (a bad row under --strict, a crash, Ctrl-C)
 * leaves the database exactly as it was; an upsert on (ticker, timestamp, timeframe), so importing the
 * same file twice changes nothing.
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
import { mapHeader, parseBarRow, tickerFromFileName, type ColumnMap } from './parse-bar-row.js';

export interface ImportOptions {
  /** A CSV / CSV.gz file, or a directory of them. */
  source: string;
  /** Target SQLite file; created with the `ohlcv_data` schema when missing. */
  dbPath: string;
  timeframe?: string;
  /** Abort (and write nothing) at the first bad row instead of skipping it. */
  strict?: boolean;
}

export interface BadRow {
  file: string;
  line: number;
  reason: string;
}

export interface ImportReport {
  files: string[];
  rowsRead: number;
  rowsImported: number;
  badRowCount: number;
  /** The first bad rows, for display (all are counted in badRowCount). */
  badRows: BadRow[];
}

export interface ImportHooks {
  onProgress?(bytesDone: number, bytesTotal: number): void;
  /** Lets the caller abort between rows (Ctrl-C): the transaction is rolled back. */
  signal?: AbortSignal;
}

const KEPT_BAD_ROWS = 50;

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
  fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.exec(OHLCV_TABLE_SQL);
  return db;
}

export async function importCsv(options: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const files = listCsvFiles(options.source);
  const timeframe = options.timeframe ?? DEFAULT_TIMEFRAME;
  const bytesTotal = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const db = openWritableStore(options.dbPath);
  const upsert = db.prepare(
    `INSERT INTO ohlcv_data (ticker, timestamp, open, high, low, close, volume, timeframe, time_of_day)
     VALUES (@ticker, @timestamp, @open, @high, @low, @close, @volume, @timeframe, @time_of_day)
     ON CONFLICT (ticker, timestamp, timeframe) DO UPDATE SET
       open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
       volume = excluded.volume, time_of_day = excluded.time_of_day`,
  );
  const report: ImportReport = { files, rowsRead: 0, rowsImported: 0, badRowCount: 0, badRows: [] };
  let bytesBefore = 0;
  db.exec('BEGIN');
  try {
    for (const file of files) {
      const size = fs.statSync(file).size;
      await importFile(file, (bytes) => hooks.onProgress?.(bytesBefore + bytes, bytesTotal), (record, line, map, tickerFromName) => {
        if (hooks.signal?.aborted) throw new BarwiseError('INTERRUPTED', 'import interrupted; nothing was written');
        report.rowsRead++;
        const res = parseBarRow(record, map, tickerFromName);
        if (!res.ok) {
          report.badRowCount++;
          if (report.badRows.length < KEPT_BAD_ROWS) report.badRows.push({ file, line, reason: res.reason });
          if (options.strict) {
            throw new BarwiseError('CSV_BAD_ROW', `${file}:${line}: ${res.reason}`,
              'Fix the row, or drop --strict to skip bad rows and count them. Nothing was imported.');
          }
          return;
        }
        upsert.run({ ...res.bar, timeframe });
        report.rowsImported++;
      });
      bytesBefore += size;
      hooks.onProgress?.(bytesBefore, bytesTotal);
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  } finally {
    db.close();
  }
  return report;
}

type RowSink = (record: string[], line: number, map: ColumnMap, tickerFromName: string | null) => void;

async function importFile(file: string, onBytes: (n: number) => void, sink: RowSink): Promise<void> {
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
          const hasTicker = item.record.some((h) => h.trim().toLowerCase().replace(/^\uFEFF/, '') === 'ticker');
          tickerFromName = hasTicker ? null : tickerFromFileName(file);
          const mapped = mapHeader(item.record, tickerFromName);
          if (typeof mapped === 'string') {
            throw new BarwiseError('CSV_UNREADABLE', `${file}: header ${mapped}`,
              'The first line must name the columns: ticker,timestamp,open,high,low,close,volume (ticker may be left out when the file is named after it).');
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
