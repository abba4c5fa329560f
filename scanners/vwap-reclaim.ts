/**
 * VWAP reclaim: after trading below the session VWAP for at least 6 consecutive bars, a bar closes back
 * above it with a body in the upper half of its range (LONG). The mirror image, a loss of VWAP after 6
 * bars above, is SHORT. Pure arithmetic over the day's bars: it never touches ctx.db, so it never pays for
 * SQLite. Incremental: the running VWAP sums and the current streak on one side of VWAP live in the
 * ticker-day's state (init), so each step does constant work for its one new bar instead of walking the day.
 * Parameters: minBars, the bars on the other side of VWAP before the cross (`--param minBars=8`).
 */
import { defineScanner, type Bar } from 'barwise/scanner';

interface VwapState {
  /** Bars folded into the sums so far: the day's bars before this index. */
  next: number;
  pv: number;
  vol: number;
  /** Whether the last folded bar closed above its VWAP, and how many bars in a row up to it did the same. */
  above: boolean;
  streak: number;
}

export default defineScanner({
  name: 'vwap-reclaim',
  warmupBars: 12,
  params: { minBars: 6 },
  init(ctx): VwapState {
    const state: VwapState = { next: 0, pv: 0, vol: 0, above: false, streak: 0 };
    // The warmup bars, once: the day's first step sees them all.
    const bars = ctx.bars;
    for (let k = 0; k < ctx.index; k++) fold(state, bars[k]);
    return state;
  },
  scan(ctx, state) {
    // A step only ever adds the current bar; ctx.bars (a copy of the day so far) is read only to catch up.
    if (state.next < ctx.index) {
      const bars = ctx.bars;
      while (state.next < ctx.index) fold(state, bars[state.next]);
    }
    // The bars on the other side of VWAP just before this one: the previous bar's streak, when its side differs.
    const bar = ctx.bar;
    const wasAbove = state.above;
    const streak = state.next > 0 ? state.streak : 0;
    const vwap = fold(state, bar);
    const nowAbove = state.above;
    const run = wasAbove !== nowAbove ? streak : 0;
    if (run < ctx.params.minBars) return null;
    const range = bar.high - bar.low;
    if (range <= 0) return null;
    const position = (bar.close - bar.low) / range;
    if (nowAbove && position >= 0.5) {
      return { direction: 'LONG', pattern_strength: round(run / ctx.params.minBars), metrics: { vwap: round(vwap), bars_below: run } };
    }
    if (!nowAbove && position <= 0.5) {
      return { direction: 'SHORT', pattern_strength: round(run / ctx.params.minBars), metrics: { vwap: round(vwap), bars_above: run } };
    }
    return null;
  },
});

/** Adds a bar to the running sums and streak; returns the VWAP at that bar. */
function fold(state: VwapState, b: Bar): number {
  state.pv += ((b.high + b.low + b.close) / 3) * b.volume;
  state.vol += b.volume;
  const vwap = state.vol > 0 ? state.pv / state.vol : b.close;
  const above = b.close > vwap;
  state.streak = state.next > 0 && above === state.above ? state.streak + 1 : 1;
  state.above = above;
  state.next++;
  return vwap;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
