/**
 * The one number formatter of everything barwise prints for people (terminal tables and notices, the HTML
 * report): en-US digits with thousands separators, a fixed number of decimals for each kind of quantity, so
 * that a column of figures lines up (`8,240` beside `428,338`, never `2.651515`), and percentages with `%`.
 * JSON and CSV outputs keep raw numbers: they are read by programs.
 */

/** Decimals shown for each kind of quantity. */
export const QUANTITY_DECIMALS = {
  /** Ticker-days, signals, steps, trades, runs: whole numbers. */
  count: 0,
  /** Steps per second. */
  rate: 0,
  /** Dollars (P&L, expectancy, capital). */
  usd: 2,
  /** A figure already in percent (win_rate_pct, max_drawdown_pct). */
  pct: 2,
  /** A fraction of 1 shown in percent (the audit's knowable share: 0.9667 → 96.7%). */
  share: 1,
  /** Profit factor, Sharpe, Sortino, R multiples, beta. */
  ratio: 2,
  /** Bars (the audit's mean bars late, a Performance Summary's bars held). */
  bars: 1,
  /** Durations in seconds. */
  seconds: 1,
  /** A scanner's pattern strength. */
  strength: 2,
} as const satisfies Record<string, number>;

export type Quantity = keyof typeof QUANTITY_DECIMALS;

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(decimals: number, signed: boolean): Intl.NumberFormat {
  const key = `${decimals}${signed ? '+' : ''}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals, ...(signed ? { signDisplay: 'exceptZero' as const } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * `v` as a `quantity` reads: `formatQuantity(428338, 'count')` → `428,338`, `(-1234.5, 'usd')` → `-$1,234.50`,
 * `(12.3456, 'pct')` → `12.35%`, `(0.96667, 'share')` → `96.7%`. `none` for null, undefined or a value that
 * is not finite. `signed`: a difference, with `+` before a positive value (`+3`, `-$2.00`, `+0.50%`).
 */
export function formatQuantity(v: number | null | undefined, quantity: Quantity, o: { none?: string; signed?: boolean } = {}): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return o.none ?? '-';
  const f = numberFormat(QUANTITY_DECIMALS[quantity], o.signed === true);
  switch (quantity) {
    case 'usd': {
      // The sign goes before the dollar sign: -$1,234.50, +$3.00.
      const text = f.format(v);
      const sign = /^[+-]/.test(text) ? text[0] : '';
      return `${sign}$${text.slice(sign.length)}`;
    }
    case 'pct': return `${f.format(v)}%`;
    case 'share': return `${f.format(v * 100)}%`;
    default: return f.format(v);
  }
}

/** `formatQuantity(v, 'count')`: the commonest case, a whole number with thousands separators. */
export function formatCount(v: number | null | undefined, none = '-'): string {
  return formatQuantity(v, 'count', { none });
}
