/**
 * A scanner that reads previous days but was given none finds nothing there, silently: with --lookback-days 0
 * the day database holds only today, and with --daily-bars 0 no daily bars. This reads the scanner's own file
 * (comments left out) for the usual signs, a heuristic that says what option the scanner probably needs:
 * - SQL: a filter on rows before `:day_start` (the past), or `timeframe = '1day'` / `daily_bars`;
 * - modules: `ctx.history`, or `ctx.daily` / `daily_bars` / '1day';
 * - scripts: date arithmetic that goes back days (`timedelta(days=1)`, `date(?, '-1 day')`, `setDate(getDate() - 1)`,
 *   `INTERVAL 1 DAY`), a previous close or day by name, a filter before `:day_start`; or '1day' / `daily_bars`.
 * It never fails a run. The bundled scanners declare what they read and never raise it (tested).
 */
import fs from 'node:fs';
import type { RunPlan } from '../plan/run-plan.js';
import type { ScannerKind } from '../types.js';
import type { RunNotice } from './run-notice.js';

type Sign = { pattern: RegExp; says: string };

const PAST_ROWS: Sign = { pattern: /<=?\s*:day_start\b/i, says: 'filters rows before :day_start' };
const DAILY: Sign[] = [
  { pattern: /timeframe\s*=\s*['"]1day['"]/i, says: "reads timeframe = '1day' rows" },
  { pattern: /\bdaily_bars\b/i, says: 'reads daily_bars' },
];
const PREVIOUS_DAYS: Record<ScannerKind, Sign[]> = {
  sql: [PAST_ROWS],
  module: [{ pattern: /\bctx\.history\b|\{[^}]*\bhistory\b[^}]*\}\s*=\s*ctx\b/, says: 'reads ctx.history' }, PAST_ROWS],
  script: [
    PAST_ROWS,
    { pattern: /timedelta\s*\(\s*(?:days\s*=\s*)?\d/, says: 'goes back days with timedelta' },
    { pattern: /['"]\s*-\s*\d+\s+days?\s*['"]/i, says: "goes back days with a '-N day' date modifier" },
    { pattern: /setDate\s*\([^)]*getDate\s*\(\s*\)\s*-\s*\d/, says: 'goes back days with setDate(getDate() - N)' },
    { pattern: /\bINTERVAL\s+'?\d+'?\s+DAYS?\b/i, says: 'goes back days with INTERVAL N DAY' },
    { pattern: /\bprev(?:ious)?[_ ]?(?:close|day|date)\b|\bprevClose\b|\bprevDay\b|\byesterday\b/i, says: 'reads a previous close or day' },
  ],
};
const DAILY_SIGNS: Record<ScannerKind, Sign[]> = {
  sql: DAILY,
  module: [{ pattern: /\bctx\.daily\b/, says: 'reads ctx.daily' }, ...DAILY],
  script: [...DAILY, { pattern: /['"]1day['"]/, says: "queries '1day' bars" }],
};

/** How each kind declares the option itself. */
const DECLARE: Record<ScannerKind, (option: 'lookback-days' | 'daily-bars') => string> = {
  sql: (o) => `-- ${o}: N`,
  module: (o) => `${o === 'lookback-days' ? 'lookbackDays' : 'dailyBars'}: N`,
  script: (o) => `// barwise: ${o}=N (or #)`,
};

export function checkLookbackUse(plan: Pick<RunPlan, 'scanner' | 'context'>): RunNotice | null {
  const { kind, path } = plan.scanner;
  let text: string;
  try {
    text = stripComments(fs.readFileSync(path, 'utf8'), kind, path);
  } catch {
    return null; // gone or unreadable since the run read it: nothing to say
  }
  const found: { option: 'lookback-days' | 'daily-bars'; says: string }[] = [];
  if (plan.context.lookbackDays === 0) {
    const sign = PREVIOUS_DAYS[kind].find((s) => s.pattern.test(text));
    if (sign) found.push({ option: 'lookback-days', says: sign.says });
  }
  if (plan.context.dailyBars === 0) {
    const sign = DAILY_SIGNS[kind].find((s) => s.pattern.test(text));
    if (sign) found.push({ option: 'daily-bars', says: sign.says });
  }
  if (found.length === 0) return null;
  const what = found.map((f) => `it ${f.says}, but --${f.option} is 0`).join('; ');
  return {
    code: 'LOOKBACK_NEEDED',
    message: `scanner ${plan.scanner.name} seems to read previous days (${what}): those rows are not in its day database, so that part of it finds nothing`,
    hint: `Pass ${found.map((f) => `--${f.option} N`).join(' and ')} (the previous trading days or daily bars it needs), or declare it in the scanner (${found.map((f) => DECLARE[kind](f.option)).join(', ')}). A heuristic: ignore this if the scanner does not need them.`,
  };
}

/** The source without its comments (roughly: a comment marker inside a string also cuts), so prose does not count. */
function stripComments(text: string, kind: ScannerKind, file: string): string {
  if (kind === 'sql') return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--.*$/gm, '');
  if (/\.[cm]?[jt]s$/i.test(file)) return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
  return text.replace(/(^|\s)#.*$/gm, '$1'); // Python, shell and other scripts run directly
}
