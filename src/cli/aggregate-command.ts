/**
 * `barwise aggregate`: daily bars from a market database's own intraday bars (src/data/aggregate-daily.ts).
 */
import type { Argv } from 'yargs';
import { aggregateDailyBars } from '../data/aggregate-daily.js';
import { DAILY_TIMEFRAME, DEFAULT_TIMEFRAME } from '../data/schema.js';
import { EXIT } from './exit.js';

export function aggregateBuilder(y: Argv) {
  return y
    .option('db', { type: 'string', demandOption: true, describe: 'Market database to add the daily bars to' })
    .option('timeframe', { type: 'string', choices: [DAILY_TIMEFRAME], default: DAILY_TIMEFRAME, describe: 'Timeframe to make (1day: regular-session bars, 09:30-16:00 New York)' })
    .option('source-timeframe', { type: 'string', default: DEFAULT_TIMEFRAME, describe: 'Timeframe of the intraday bars to make them from' });
}

type AggregateArgs = Awaited<ReturnType<ReturnType<typeof aggregateBuilder>['parse']>>;

export async function aggregateHandler(argv: AggregateArgs): Promise<number> {
  const r = aggregateDailyBars({ dbPath: argv.db, sourceTimeframe: argv['source-timeframe'] });
  process.stdout.write(`${argv.db}: ${r.days} ${DAILY_TIMEFRAME} bar(s) of ${r.tickers} ticker(s) from "${argv['source-timeframe']}" bars: ${r.written} written, ${r.unchanged} already up to date\n`);
  if (r.keptOther > 0) {
    process.stderr.write(`kept ${r.keptOther} daily bar(s) already stored at another time stamp for their date (${r.keptExamples.join(', ')}${r.keptOther > r.keptExamples.length ? ', …' : ''}); those dates were not aggregated\n`
      + '  Delete those rows (DELETE FROM ohlcv_data WHERE timeframe = \'1day\' AND …) and run again to have them made from the intraday bars.\n');
  }
  return EXIT.ok;
}
