/**
 * Ratio of the average win to the average loss, in dollars: avg_win / −avg_loss (so a positive number).
 * Null unless there is at least one winning and one losing trade.
 */
export function computeWinLossRatio(avgWin: number | null, avgLoss: number | null): number | null {
  return avgWin === null || avgLoss === null || avgLoss === 0 ? null : avgWin / -avgLoss;
}
