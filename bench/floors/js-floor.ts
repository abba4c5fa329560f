/**
 * The one-thread plain-JS floor for a module scanner: the scanner's own `init` (once a ticker-day, when it has
 * one) and `scan` called on a growing array of plain bars, one step per bar from `warmup` on, the first signal
 * ending the day, with no pool, tasks, frozen bars, per-step context object or results: what barwise adds on
 * top of the scanner is what this leaves out. The one ctx of a day is a plain object updated in place.
 */
import { performance } from 'node:perf_hooks';
import { forEachTickerDay, type FloorBar } from './read-ticker-days.js';
import type { FloorResult, FloorSignal } from './floor-result.js';

interface FloorContext {
  bars: readonly FloorBar[];
  bar: FloorBar;
  index: number;
  params: Record<string, unknown>;
}

interface ModuleLike {
  warmupBars?: number;
  params?: Record<string, unknown>;
  init?(ctx: FloorContext): unknown;
  scan(ctx: FloorContext, state: unknown): { direction?: string; pattern_strength?: number } | null;
}

export async function runJsFloor(db: string, scannerPath: string): Promise<FloorResult> {
  const mod = ((await import(scannerPath)) as { default: ModuleLike }).default;
  const t0 = performance.now();
  const warmup = mod.warmupBars ?? 0;
  const params = { ...mod.params };
  const signals: FloorSignal[] = [];
  let tickerDays = 0;
  let steps = 0;
  forEachTickerDay(db, ({ ticker, bars }) => {
    tickerDays++;
    if (bars.length < warmup) return;
    const seen = bars.slice(0, warmup);
    const ctx: FloorContext = { bars: seen, bar: bars[warmup], index: warmup, params };
    let state: unknown;
    for (let i = warmup; i < bars.length; i++) {
      seen.push(bars[i]);
      ctx.bar = bars[i];
      ctx.index = i;
      steps++;
      if (i === warmup && mod.init) state = mod.init(ctx);
      const out = mod.scan(ctx, state);
      if (!out) continue;
      signals.push({ ticker, timestamp: bars[i].timestamp, direction: out.direction ?? '', pattern_strength: out.pattern_strength ?? null });
      break;
    }
  });
  return { floor: 'js', ticker_days: tickerDays, steps, signals, loop_ms: Math.round(performance.now() - t0), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
