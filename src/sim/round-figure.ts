/**
 * How trade figures are rounded, the one rule the simulator, the portfolio pass and the marks share.
 */

/** Six decimals: enough for prices and percentages, and no float noise (0.30000000000000004) in reports. */
export function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
