/**
 * The last lines of every run: which files were written (path, size) and where the run is recorded, so a
 * user never has to guess whether `--out` did anything or where `barwise runs` will find the run.
 */
// Made on first use: the first Intl formatter of a thread costs milliseconds of ICU set-up, and a run without
// output files prints no size.
let size: Intl.NumberFormat | undefined;
const formatSize = (n: number) => (size ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })).format(n);

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${formatSize(n / 1000)} kB`;
  return `${formatSize(n / 1_000_000)} MB`;
}

/** `ids`: the run's or runs' ids, `#7` or `#7 and #8` (an audit's two runs). */
export function formatWrittenFiles(written: readonly { file: string; bytes: number }[], ids: string): string {
  if (written.length === 0) return '';
  return `barwise: wrote ${written.map((w) => `${w.file} (${formatBytes(w.bytes)})`).join(', ')} for ${naming(ids)}\n`;
}

export function formatRecordedRun(ids: string, status: string, resultsDb: string): string {
  const verb = ids.includes(' and ') ? ['were', 'are'] : ['was', 'is'];
  if (resultsDb === ':memory:') return `barwise: ${naming(ids)} (${status}) ${verb[0]} kept in memory only (--results-db :memory:)\n`;
  return `barwise: ${naming(ids)} (${status}) ${verb[1]} recorded in ${resultsDb}\n`;
}

function naming(ids: string): string {
  return `${ids.includes(' and ') ? 'runs' : 'run'} ${ids}`;
}
