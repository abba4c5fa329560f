/**
 * Relative strength against the market: from 10:00 on, a bar at which the ticker has gained at least
 * 1 percentage point more than SPY since the open (LONG: it leads the market), or lost at least 1 point
 * more (SHORT: it lags). Both changes run from the day's first bar's open to the latest close, and SPY's
 * latest close is the one of its last bar that exists now: ctx.refs.get('SPY') never holds a later bar.
 * Strength: the lead in percentage points. Try: npm run backtest -- --scanner scanners/relative-strength-spy.ts
 */
import { defineScanner } from 'barwise/scanner';

export default defineScanner({
  name: 'relative-strength-spy',
  warmupBars: 6,
  references: ['SPY'],
  scan(ctx) {
    if (ctx.ticker === 'SPY' || ctx.bar.time_of_day < '10:00:00') return null;
    const spy = ctx.refs.get('SPY');
    if (spy.length === 0) return null;
    const own = (ctx.bar.close / ctx.bars[0].open - 1) * 100;
    const market = (spy[spy.length - 1].close / spy[0].open - 1) * 100;
    const lead = own - market;
    if (Math.abs(lead) < 1) return null;
    return {
      direction: lead > 0 ? 'LONG' : 'SHORT',
      pattern_strength: Math.round(lead * 1000) / 1000,
      metrics: { change_pct: Math.round(own * 1000) / 1000, spy_change_pct: Math.round(market * 1000) / 1000 },
    };
  },
});
