/**
 * `barwise import`: CSV bars into a market database, with a progress bar on a terminal.
 */
import cliProgress from 'cli-progress';
import type { Argv } from 'yargs';
import { DEFAULT_TIMEFRAME } from '../data/schema.js';
import { importCsv } from '../data/import-csv.js';
import { parseColumnsOption } from '../data/csv-columns.js';
import { formatImportSummary } from './import-summary.js';
import { formatCount } from '../report/format-number.js';
import { EXIT } from './exit.js';
import { BarwiseError } from '../errors.js';

export function importBuilder(y: Argv) {
  return y
    .option('csv', { type: 'string', demandOption: true, describe: 'CSV or CSV.gz file, or a directory of them (header ticker,timestamp,open,high,low,close,volume)' })
    .option('db', { type: 'string', demandOption: true, describe: 'Market database to create or add to' })
    .option('timeframe', { type: 'string', default: DEFAULT_TIMEFRAME, describe: 'Timeframe label of the bars' })
    .option('strict', { type: 'boolean', default: false, describe: 'Abort at the first bad row (nothing is written); default skips and counts bad rows' })
    .option('timezone', { type: 'string', describe: 'IANA zone of timestamps written without a UTC offset (2025-11-03 09:30:00), e.g. America/New_York; daylight saving is applied per date', defaultDescription: 'none: such timestamps are bad rows' })
    .option('columns', { type: 'string', describe: 'Header names of the fields when the file names them otherwise: FIELD=HEADER,… with fields ticker, timestamp (or date and time), open, high, low, close, volume; other columns are left out', defaultDescription: 'ticker,timestamp,open,high,low,close,volume' });
}

type ImportArgs = Awaited<ReturnType<ReturnType<typeof importBuilder>['parse']>>;

export async function importHandler(argv: ImportArgs): Promise<number> {
  const tty = Boolean(process.stderr.isTTY);
  const bar = tty ? new cliProgress.SingleBar({ stream: process.stderr, format: ' importing {bar} {percentage}% | ETA {eta_formatted}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
  const controller = new AbortController();
  let stopCode: number = EXIT.interrupted;
  const onSignal = (name: NodeJS.Signals) => {
    stopCode = name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let started = false;
  try {
    const columns = argv.columns !== undefined ? parseColumnsOption(argv.columns) : undefined;
    const report = await importCsv({ source: argv.csv, dbPath: argv.db, timeframe: argv.timeframe, strict: argv.strict, timeZone: argv.timezone, columns }, {
      signal: controller.signal,
      onProgress(done, total) {
        if (!bar) return;
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    }).finally(() => bar?.stop());
    if (report.rowsImported > 0) process.stdout.write(`imported ${formatCount(report.rowsImported)} bar(s) from ${formatCount(report.files.length)} file(s) into ${argv.db}\n${formatImportSummary(report)}`);
    if (report.badRowCount > 0) {
      process.stderr.write(`skipped ${formatCount(report.badRowCount)} bad row(s)${report.badRowCount > report.badRows.length ? ` (first ${report.badRows.length} shown)` : ''}:\n`);
      for (const b of report.badRows.slice(0, 20)) process.stderr.write(`  ${b.file}:${b.line}: ${b.reason}\n`);
      process.stderr.write('  Fix them and import again (re-importing never duplicates bars), or use --strict to refuse files with bad rows.\n');
    }
    if (report.repeatedRowCount > 0) process.stderr.write(`skipped ${formatCount(report.repeatedRowCount)} row(s) repeating an earlier row exactly\n`);
    if (report.conflictCount > 0) {
      process.stderr.write(`skipped ${formatCount(report.conflictCount)} conflicting duplicate row(s)${report.conflictCount > report.conflicts.length ? ` (first ${report.conflicts.length} shown)` : ''}: same ticker and time as an earlier row, other values; the first is kept:\n`);
      for (const c of report.conflicts.slice(0, 20)) process.stderr.write(`  ${c.file}:${c.line}: ${c.reason}\n`);
      process.stderr.write('  Keep one row per ticker and time in the files and import again.\n');
    }
    if (report.rowsImported === 0) {
      process.stderr.write(`barwise: imported nothing: ${report.rowsRead === 0 ? `no bar rows in ${report.files.join(', ')}` : `none of the ${formatCount(report.rowsRead)} row(s) read was a valid bar`}; ${argv.db} is unchanged\n`);
      process.stderr.write('  Check that --csv names the files with the bars (a header line, then one bar per line).\n');
      return EXIT.failed;
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof BarwiseError && err.code === 'INTERRUPTED') {
      process.stderr.write(`barwise: import interrupted; ${argv.db} is as it was (nothing of this import was written)\n`);
      return stopCode;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
