/**
 * New session high: from 10:30 on, a bar whose high clears every earlier high of the day by at least
 * 0.1% and that closes in the top quarter of its range, on volume above the day's average so far: a
 * momentum continuation (LONG). Shows a module scanner querying the day database through ctx.db.
 */
import { defineScanner } from 'barwise/scanner';

const SQL = `
  SELECT MAX(high) AS prior_high, AVG(volume) AS avg_volume, COUNT(*) AS n
  FROM ohlcv_data WHERE ticker = ? AND timestamp < ?`;

export default defineScanner({
  name: 'new-session-high',
  warmupBars: 12,
  scan(ctx) {
    const { bar } = ctx;
    if (bar.time_of_day < '10:30:00') return null;
    const prior = ctx.db.prepare(SQL).get(ctx.ticker, bar.timestamp) as { prior_high: number; avg_volume: number; n: number };
    if (prior.n === 0 || bar.high < prior.prior_high * 1.001) return null;
    const range = bar.high - bar.low;
    if (range <= 0 || (bar.close - bar.low) / range < 0.75) return null;
    if (bar.volume <= prior.avg_volume) return null;
    return {
      direction: 'LONG',
      pattern_strength: Math.round((bar.high / prior.prior_high - 1) * 1e6) / 1e4,
      metrics: { prior_high: prior.prior_high, volume_ratio: Math.round((bar.volume / prior.avg_volume) * 100) / 100 },
    };
  },
});
