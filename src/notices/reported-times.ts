/**
 * Full-day signals whose reported time lies outside the day's bars (resolve-reported-bar.ts flags them): most
 * often a script printing UTC times ("18:40") read as New York time, each placed at the session's last bar.
 */
import type { RunResult } from '../engine/run-result.js';
import type { RunPlan } from '../plan/run-plan.js';
import { OUTSIDE_SESSION_METRIC } from '../runtime/resolve-reported-bar.js';
import type { RunNotice } from './run-notice.js';

export function checkReportedTimes(result: RunResult, plan: RunPlan): RunNotice | null {
  const flagged = result.signals.filter((s) => s.metrics[OUTSIDE_SESSION_METRIC] !== undefined);
  if (flagged.length === 0) return null;
  const first = flagged[0];
  const utc = plan.options.reportedTimeZone === 'UTC';
  return {
    code: 'TIME_OUTSIDE_SESSION',
    message: `${flagged.length} of ${result.signals.length} signal(s) reported a time outside the day's bars (e.g. ${first.ticker} ${first.signal_date}: "${first.metrics[OUTSIDE_SESSION_METRIC]}", read as ${utc ? 'UTC' : 'New York time'}); each is placed at the nearest bar of the day and flagged with metrics.${OUTSIDE_SESSION_METRIC}`,
    hint: utc
      ? 'Check the times the scanner reports: they are read as UTC (--reported-time-zone UTC); drop that flag if they are New York times.'
      : 'If the scanner reports UTC times, pass --reported-time-zone UTC; otherwise check the times it reports.',
  };
}
