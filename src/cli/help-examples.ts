/**
 * The examples at the end of each command's --help: commands a new user can paste as they are (they run on
 * the bundled sample data, tickers and dates included).
 */
export const HELP_EXAMPLES: Record<string, readonly (readonly [string, string])[]> = {
  backtest: [
    ['barwise backtest', 'The shipped opening-range breakout over the bundled sample data'],
    ['barwise backtest --scanner volume-spike --tickers AAPL,TSLA --from 2025-11-03 --to 2025-11-14', 'A shipped example by name, two tickers, two weeks'],
    ['barwise backtest --scanner my-scanner.sql --db market.db --out run.json', 'Your own scanner over your own data, the result as JSON'],
    ['barwise backtest --stop-pct 1 --target-pct 2 --exit-time 15:45 --report report.html', 'Trade the signals and write an HTML report'],
    ['barwise backtest --resume 7', 'Continue interrupted run #7 (barwise runs lists them)'],
  ],
  audit: [
    ['barwise audit --scanner my-scanner.sql --db market.db', 'Which signals a whole-day run finds that were not knowable at the time'],
  ],
  sweep: [
    ['barwise sweep --param or_bars=3,6,12 --param vol_mult=1.5..3:0.5 --stop-pct 1 --target-pct 2', 'Rank every combination by profit factor'],
  ],
  import: [
    ['barwise import --csv bars/ --db market.db', 'Import a directory of CSV files (ticker,timestamp,open,high,low,close,volume)'],
    ['barwise import --csv aapl.csv --db market.db --timezone America/New_York --columns timestamp=Date,open=Open,high=High,low=Low,close=Close,volume=Volume',
      'A vendor file: New York times without an offset, its own column names, the ticker from the file name'],
  ],
  runs: [
    ['barwise runs', 'The latest runs, wherever they were started'],
    ['barwise runs --compare 7 8', 'What changed between runs #7 and #8'],
  ],
};
