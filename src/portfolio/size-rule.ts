/**
 * How many shares a trade takes: `--size MODE:VALUE`, read once here. Sizes that depend on equity read it at
 * the entry instant (cash plus open positions marked to market), so sizing compounds. Shares are always
 * rounded down: a size never spends more than its rule allows.
 *  - `shares:N`      N shares.
 *  - `dollars:D`     floor(D / entry fill).
 *  - `equity-pct:P`  floor(P % of equity / entry fill).
 *  - `risk:D`        floor(D / initial risk per share): losing D at the initial stop (`--risk-per-trade D`).
 *  - `risk-pct:P`    floor(P % of equity / initial risk per share).
 */
export const SIZE_MODES = ['shares', 'dollars', 'equity-pct', 'risk', 'risk-pct'] as const;
export type SizeMode = (typeof SIZE_MODES)[number];

export interface SizeRule {
  mode: SizeMode;
  value: number;
}

/** The modes sized from the stop distance: they need a stop. */
export function isRiskSized(rule: SizeRule): boolean {
  return rule.mode === 'risk' || rule.mode === 'risk-pct';
}

/** `equity-pct:2.5` → { mode, value }; null when the text is not a size rule (the caller names the option). */
export function parseSizeRule(text: string): SizeRule | null {
  const m = /^([a-z-]+):([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)$/i.exec(text.trim());
  if (!m) return null;
  const mode = m[1].toLowerCase() as SizeMode;
  const value = Number(m[2]);
  if (!SIZE_MODES.includes(mode) || !Number.isFinite(value) || value <= 0) return null;
  if (mode === 'shares' && !Number.isInteger(value)) return null;
  // Above 100 % of equity is a leveraged size (a margin account's); risking more than all of it is not a size.
  if ((mode === 'risk-pct' && value > 100) || (mode === 'equity-pct' && value > 100_000)) return null;
  return { mode, value };
}

export function formatSizeRule(rule: SizeRule): string {
  return `${rule.mode}:${rule.value}`;
}

/**
 * Shares for one entry. `entry`: the entry fill; `risk`: initial risk per share (null without a stop);
 * `equity`: the account's equity at the entry instant. The tiny tolerance keeps 500 / 100 × … float noise
 * (4.999999999) from costing a share.
 */
export function computeShares(rule: SizeRule, entry: number, risk: number | null, equity: number): number {
  const floor = (x: number) => (Number.isFinite(x) && x > 0 ? Math.floor(x + 1e-9) : 0);
  switch (rule.mode) {
    case 'shares': return rule.value;
    case 'dollars': return floor(rule.value / entry);
    case 'equity-pct': return floor((equity * rule.value) / 100 / entry);
    case 'risk': return risk !== null && risk > 0 ? floor(rule.value / risk) : 0;
    case 'risk-pct': return risk !== null && risk > 0 ? floor((equity * rule.value) / 100 / risk) : 0;
  }
}
