/**
 * The last lines of every run: which files were written (path, size) and where the run is recorded, so a
 * user never has to guess whether `--out` did anything or where `barwise runs` will find the run.
 */
const SIZE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${SIZE.format(n / 1000)} kB`;
  return `${SIZE.format(n / 1_000_000)} MB`;
}

export function formatWrittenFiles(written: readonly { file: string; bytes: number }[], runId: number | string): string {
  if (written.length === 0) return '';
  return `barwise: wrote ${written.map((w) => `${w.file} (${formatBytes(w.bytes)})`).join(', ')} for run ${runId}\n`;
}

export function formatRecordedRun(runId: number | string, status: string, resultsDb: string): string {
  if (resultsDb === ':memory:') return `barwise: run ${runId} (${status}) was kept in memory only (--results-db :memory:)\n`;
  return `barwise: run ${runId} (${status}) is recorded in ${resultsDb}\n`;
}
