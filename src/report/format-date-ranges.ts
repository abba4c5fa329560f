/**
 * A list of trading dates as ranges: `2025-11-03…2025-11-07, 2025-11-12`. Dates follow each other when the
 * second is the next day, or the Monday after a Friday (a weekend is no gap between trading days; a holiday
 * shows as one).
 */
export function formatDateRanges(dates: readonly string[]): string {
  const sorted = [...new Set(dates)].sort();
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && isNextTradingDay(sorted[i - 1], sorted[i])) continue;
    parts.push(i - 1 === start ? sorted[start] : `${sorted[start]}…${sorted[i - 1]}`);
    start = i;
  }
  return parts.join(', ');
}

const DAY_MS = 86_400_000;

function isNextTradingDay(a: string, b: string): boolean {
  const ta = Date.parse(`${a}T00:00:00Z`);
  const gap = (Date.parse(`${b}T00:00:00Z`) - ta) / DAY_MS;
  // From a Friday the next trading day is the Monday after; from a Saturday or Sunday (extended data) the Monday.
  const weekday = new Date(ta).getUTCDay();
  const next = weekday === 5 ? 3 : weekday === 6 ? 2 : 1;
  return gap === 1 || gap === next;
}
