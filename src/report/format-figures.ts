/**
 * How figures read in every renderer: two decimals, a % sign, dollars with thousands separators, and `none`
 * (a dash by default) for a figure that has no value (a win rate without trades).
 */
import type { Statistic } from '../stats/statistics.js';

export function formatNum(v: number | null | undefined, none = '-', digits = 2): string {
  return v === null || v === undefined ? none : v.toFixed(digits);
}

export function formatPct(v: number | null | undefined, none = '-'): string {
  return v === null || v === undefined ? none : `${v.toFixed(2)}%`;
}

export function formatUsd(v: number | null | undefined, none = '-'): string {
  if (v === null || v === undefined) return none;
  const s = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${v < 0 ? '-' : ''}$${s}`;
}

/** `2 last-bar, 1 buying_power`: counts by reason, as the registry's `reasons` unit holds them. */
export function formatReasons(v: Readonly<Record<string, number>>): string {
  return Object.entries(v).map(([k, n]) => `${n} ${k}`).join(', ');
}

/** A statistic's value by its unit alone, for statistics no renderer lays out by hand. */
export function formatStatistic(s: Pick<Statistic, 'unit'>, v: unknown, none = '-'): string {
  if (v === null || v === undefined) return none;
  switch (s.unit) {
    case 'usd': return formatUsd(v as number, none);
    case 'pct': return formatPct(v as number, none);
    case 'ratio': return formatNum(v as number, none);
    case 'r': return `${formatNum(v as number, none)} R`;
    case 'reasons': return formatReasons(v as Record<string, number>) || 'none';
    case 'count': return String(v);
    case 'breakdown': return `${(v as unknown[]).length} row(s)`;
    case 'text': return String(v);
  }
}
