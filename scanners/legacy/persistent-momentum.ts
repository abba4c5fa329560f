// barwise: persistent
/**
 * A persistent legacy scanner in TypeScript (barwise: persistent). Started once per worker with
 * PERSISTENT_MODE=true, it prints READY, then answers one JSON request per line:
 *   in:  {"databasePath","tickers","startDate","endDate","requestId","date","asOf","time"}
 *   out: {"success":true,"data":[...signals],"requestId"} and READY again.
 * Without PERSISTENT_MODE it behaves as a plain script (DATABASE_PATH in, JSON array out), so the same
 * file also runs per step, and in --mode naive.
 *
 * Finds: three rising closes in a row ending on the day's highest close so far, on volume above the
 * day's average (LONG momentum).
 */
import readline from 'node:readline';
import Database from 'better-sqlite3';

interface Row { close: number; volume: number; time_of_day: string }

function scan(databasePath: string, tickers: string[]): object[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const out: object[] = [];
    for (const ticker of tickers) {
      const bars = db.prepare('SELECT close, volume, time_of_day FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp').all(ticker) as Row[];
      const n = bars.length;
      if (n < 4) continue;
      const [a, b, c, d] = bars.slice(-4);
      const avgVolume = bars.reduce((s, x) => s + x.volume, 0) / n;
      const highest = Math.max(...bars.map((x) => x.close));
      if (b.close > a.close && c.close > b.close && d.close > c.close && d.close === highest && d.volume > avgVolume) {
        out.push({ ticker, direction: 'LONG', pattern_strength: Math.round((d.close / a.close - 1) * 1e6) / 1e4, metrics: { volume_ratio: Math.round((d.volume / avgVolume) * 100) / 100 } });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

if (process.env.PERSISTENT_MODE === 'true') {
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let requestId: unknown = null;
    try {
      const req = JSON.parse(line);
      requestId = req.requestId;
      process.stdout.write(JSON.stringify({ success: true, data: scan(req.databasePath, req.tickers), requestId }) + '\n');
    } catch (err) {
      process.stdout.write(JSON.stringify({ success: false, error: String(err), data: [], requestId }) + '\n');
    }
    process.stdout.write('READY\n');
  });
  process.stdout.write('READY\n');
} else {
  console.log(JSON.stringify(scan(process.env.DATABASE_PATH!, (process.env.SCAN_TICKERS ?? '').split(','))));
}
