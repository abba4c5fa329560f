/**
 * RunResult → the `--out` JSON file. Signals, failures and (with trade rules) trades are written one per line
 * in their total order, then the mark-to-market equity series one point per line, followed by `stats`, so these are byte-identical for the same inputs whatever the thread count (the `run` block
 * records threads and timings, which naturally differ) and diff well between runs.
 */
import type { RunResult } from '../engine/run-result.js';
import type { Signal } from '../types.js';

export function formatResultJson(result: RunResult): string {
  const lines: string[] = ['{', `"run": ${JSON.stringify(result.run)},`];
  lines.push(`"signals": [${result.signals.length ? '\n' + result.signals.map((s) => JSON.stringify(publicSignal(s))).join(',\n') + '\n' : ''}],`);
  lines.push(`"failures": [${result.failures.length ? '\n' + result.failures.map((f) => JSON.stringify(f)).join(',\n') + '\n' : ''}],`);
  lines.push(`"notices": [${result.notices?.length ? '\n' + result.notices.map((n) => JSON.stringify(n)).join(',\n') + '\n' : ''}]${result.trades ? ',' : ''}`);
  if (result.trades) {
    lines.push(`"trades": [${result.trades.length ? '\n' + result.trades.map((t) => JSON.stringify(t)).join(',\n') + '\n' : ''}],`);
    const equity = result.equity ?? [];
    lines.push(`"equity": [${equity.length ? '\n' + equity.map((p) => JSON.stringify(p)).join(',\n') + '\n' : ''}],`);
    lines.push(`"stats": ${JSON.stringify(result.stats)}`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The signal as users see it: the internal sequence number is implied by the order. */
export function publicSignal(s: Signal) {
  return {
    ticker: s.ticker,
    signal_date: s.signal_date,
    signal_time: s.signal_time,
    timestamp: s.timestamp,
    direction: s.direction,
    pattern_strength: s.pattern_strength,
    metrics: s.metrics,
  };
}
