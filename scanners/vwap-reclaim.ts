/**
 * VWAP reclaim: after trading below the session VWAP for at least 6 consecutive bars, a bar closes back
 * above it with a body in the upper half of its range (LONG). The mirror image, a loss of VWAP after 6
 * bars above, is SHORT. Pure arithmetic over ctx.bars: it never touches ctx.db, so it never pays for SQLite.
 * Parameters: minBars, the bars on the other side of VWAP before the cross (`--param minBars=8`).
 */
import { defineScanner } from 'barwise/scanner';

export default defineScanner({
  name: 'vwap-reclaim',
  warmupBars: 12,
  params: { minBars: 6 },
  scan(ctx) {
    const minBars = ctx.params.minBars;
    const bars = ctx.bars;
    let pv = 0;
    let vol = 0;
    const vwap: number[] = [];
    for (const b of bars) {
      pv += ((b.high + b.low + b.close) / 3) * b.volume;
      vol += b.volume;
      vwap.push(vol > 0 ? pv / vol : b.close);
    }
    const i = bars.length - 1;
    const bar = bars[i];
    // Plain loops, no closure per call: tsx (esbuild keepNames) wraps every function created in scan() with a
    // name-setting call, which cost ~6% of a universe run.
    const nowAbove = bar.close > vwap[i];
    let run = 0;
    for (let k = i - 1; k >= 0 && bars[k].close > vwap[k] !== nowAbove; k--) run++;
    if (run < minBars) return null;
    const range = bar.high - bar.low;
    if (range <= 0) return null;
    const position = (bar.close - bar.low) / range;
    if (nowAbove && position >= 0.5) {
      return { direction: 'LONG', pattern_strength: round(run / minBars), metrics: { vwap: round(vwap[i]), bars_below: run } };
    }
    if (!nowAbove && position <= 0.5) {
      return { direction: 'SHORT', pattern_strength: round(run / minBars), metrics: { vwap: round(vwap[i]), bars_above: run } };
    }
    return null;
  },
});

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
