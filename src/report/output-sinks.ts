/**
 * The registry of output formats: each names the CLI flag that takes its file and renders a result to that
 * file's text. The commands write every format whose flag was given by looking it up here, so a new format
 * is one renderer file plus one line (and its flag).
 */
import type { AuditResult } from '../audit/audit-types.js';
import type { RunResult } from '../engine/run-result.js';
import { BarwiseError } from '../errors.js';
import { renderAuditHtmlSection } from './audit-html-section.js';
import { buildHtmlReport } from './build-html-report.js';
import { readChartLibrary } from './chart-library.js';
import { formatAuditJson } from './format-audit-json.js';
import { formatResultJson } from './format-json.js';
import { formatTradesCsv } from './format-trades-csv.js';
import { buildReportData } from './report-data.js';

export type OutputFormat = 'json' | 'trades-csv' | 'html';

/** The flags that name output files. */
export type OutputFlag = 'out' | 'trades-csv' | 'report';

export interface OutputSink<R> {
  flag: OutputFlag;
  /** The file's text, or null when the result has nothing for this format (no trades without trade rules). */
  render(result: R): string | null;
}

/** What `barwise backtest` writes. */
export const RUN_SINKS = {
  json: { flag: 'out', render: (r) => formatResultJson(r) },
  'trades-csv': { flag: 'trades-csv', render: (r) => (r.trades ? formatTradesCsv(r.trades) : null) },
  html: { flag: 'report', render: (r) => (r.stats ? buildHtmlReport(buildReportData(r), readChartLibrary()) : null) },
} satisfies Record<OutputFormat, OutputSink<RunResult>>;

/**
 * What `barwise audit` writes: `--trades-csv` holds the realtime run's trades (the ones a live scanner could have
 * taken), `--report` is the realtime run's report with the audit's section under its headline figures. */
export const AUDIT_SINKS = {
  json: { flag: 'out', render: (r) => formatAuditJson(r) },
  'trades-csv': { flag: 'trades-csv', render: (r) => renderAuditTrades(r) },
  html: { flag: 'report', render: (r) => renderAuditReport(r) },
} satisfies Partial<Record<OutputFormat, OutputSink<AuditResult>>>;

/**
 * Each sink whose flag names a file, with the text to write there (formats with nothing to write left out).
 * Rendered one at a time as the caller iterates, so a file written stays written if a later format fails.
 */
export function* renderOutputs<R>(
  sinks: Readonly<Partial<Record<OutputFormat, OutputSink<R>>>>,
  result: R,
  files: Partial<Record<OutputFlag, string | undefined>>,
): Generator<{ file: string; text: string }> {
  for (const sink of Object.values(sinks) as OutputSink<R>[]) {
    const file = files[sink.flag];
    if (!file) continue;
    const text = sink.render(result);
    if (text !== null) yield { file, text };
  }
}

function renderAuditReport(result: AuditResult): string {
  if (!result.realtimeResult) throw new BarwiseError('REPORT_WRITE', 'the realtime run did not finish; no report was written');
  return buildHtmlReport(buildReportData(result.realtimeResult), readChartLibrary(), renderAuditHtmlSection(result));
}

function renderAuditTrades(result: AuditResult): string {
  if (!result.realtimeResult?.trades) throw new BarwiseError('RESULTS_WRITE', 'the realtime run did not finish; no trades CSV was written', 'Run the audit again to its end.');
  return formatTradesCsv(result.realtimeResult.trades);
}
