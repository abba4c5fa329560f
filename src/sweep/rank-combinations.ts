/**
 * The ranking: combinations with at least --min-trades trades by the objective, highest first, then those with
 * fewer, by the objective too. A combination without a value (no trades; a profit factor without a loss is
 * recorded as null) comes after those with one. Ties keep sweep order, so the ranking is a total order.
 */
export interface Rankable {
  index: number;
  objective: number | null;
  belowMinTrades: boolean;
}

export function rankCombinations(items: readonly Rankable[]): number[] {
  return [...items].sort((a, b) => {
    if (a.belowMinTrades !== b.belowMinTrades) return a.belowMinTrades ? 1 : -1;
    if (a.objective === null || b.objective === null) {
      if (a.objective !== b.objective) return a.objective === null ? 1 : -1;
    } else if (a.objective !== b.objective) {
      return b.objective - a.objective;
    }
    return a.index - b.index;
  }).map((c) => c.index);
}
