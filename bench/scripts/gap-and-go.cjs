// scanners/legacy/gap-and-go.ts as a plain CommonJS script (what users with JavaScript scanners have): the
// same query and rule per ticker, the JSON array on stdout, logs on stderr, the database never closed.
const Database = require('better-sqlite3');

const db = new Database(process.env.DATABASE_PATH, { readonly: true });
const tickers = (process.env.SCAN_TICKERS || '').split(',').filter(Boolean);
const signals = [];
console.error(`gap-and-go: scanning ${tickers.join(',')} ${process.env.SCAN_START_DATE}..${process.env.SCAN_END_DATE}`);
for (const ticker of tickers) {
  const bars = db.prepare('SELECT * FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp').all(ticker);
  if (bars.length < 8) continue;
  const first30 = bars.filter((b) => b.time_of_day < '10:00:00');
  if (first30.length === 0) continue;
  const rangeHigh = Math.max(...first30.map((b) => b.high));
  const last = bars[bars.length - 1];
  const prev = bars[bars.length - 2];
  const gapUp = bars[0].open > bars[0].close * 0.999 && bars[0].open >= first30[0].open;
  if (last.time_of_day >= '10:00:00' && gapUp && last.close > rangeHigh && last.volume > prev.volume) {
    signals.push({ ticker, signal_time: last.time_of_day, direction: 'LONG', pattern_strength: Math.round((last.close / rangeHigh - 1) * 1e5) / 1e3, metrics: { range_high: rangeHigh } });
  }
}
console.log(JSON.stringify(signals));
