/** A run's --signals mode in words, for the tables that name it: `first signal per ticker-day`, `all signals per ticker-day`. */
export function describeSignalsMode(mode: string): string {
  return mode === 'all' ? 'all signals per ticker-day' : `${mode} signal per ticker-day`;
}
