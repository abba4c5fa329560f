/**
 * Trade rules given as parameters (`--param trade.stopPct=0.5`, `params: { 'trade.stopPct': 0.5 }`): they are
 * taken out of the scanner's parameters and set as trade rules, checked by the rule's own row (as `--stop-pct`
 * is), and turn trading on. A rule given both ways is refused: which one counts would be a guess.
 */
import { BarwiseError } from '../errors.js';
import { findClosestWord } from '../text/closest-word.js';
import { TRADE_PARAM_PREFIX, nameParam, type ParamValue } from '../scanners/scanner-params.js';
import { TRADE_ROWS, describeProblem, nameKey, nameOption, type Caller } from './options.js';
import type { TradeRulesInput } from './trade-rules.js';

export interface SplitParams {
  /** The scanner's parameters, as given. */
  scanner: Record<string, string | ParamValue>;
  /** The trade rules with the rule parameters set; undefined when neither was given. */
  trade: TradeRulesInput | undefined;
}

export function splitTradeParams(params: Readonly<Record<string, string | ParamValue>> | undefined, trade: TradeRulesInput | undefined, caller: Caller): SplitParams {
  const scanner: Record<string, string | ParamValue> = {};
  const rules: Record<string, unknown> = {};
  const where = nameKey('run', 'params', caller);
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    if (!name.startsWith(TRADE_PARAM_PREFIX)) {
      scanner[name] = value;
      continue;
    }
    const key = name.slice(TRADE_PARAM_PREFIX.length);
    const row = TRADE_ROWS.find((r) => r.key === key);
    const named = nameParam(where, name);
    if (!row) {
      const keys = TRADE_ROWS.map((r) => r.key!);
      const close = findClosestWord(key, keys);
      throw new BarwiseError('USAGE', `${named}: "${key}" is not a trade rule${close ? `; did you mean trade.${close}?` : ''}`,
        `Trade rules: ${keys.join(', ')} (docs/trades.md).`);
    }
    if (trade?.[key as keyof TradeRulesInput] !== undefined) {
      throw new BarwiseError('USAGE', `${named} and ${nameOption(row, caller)} both set the trade rule ${key}`, 'Give it one way only.');
    }
    const v = typeof value === 'string' ? readRuleText(row.type, value) : value;
    const problem = describeProblem(row, v, caller);
    if (problem) throw new BarwiseError('USAGE', `${named} ${problem.message}`, problem.hint ?? `The same rule as ${nameOption(row, caller)}.`);
    rules[key] = v;
  }
  if (Object.keys(rules).length === 0) return { scanner, trade };
  return { scanner, trade: { ...(trade ?? {}), ...rules } as TradeRulesInput };
}

/** CLI text as the rule's type: numbers parsed (text that is no number stays text, for the row's message). */
function readRuleText(type: string, text: string): unknown {
  if ((type === 'number' || type === 'integer') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
