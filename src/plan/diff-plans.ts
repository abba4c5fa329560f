/**
 * A recorded plan against a new one, field by field, each difference named as the caller spells the option
 * (`--stop-pct` on the CLI, `options.trade.stopPct` in the library). Speed-only options are not differences.
 */
import { nameKey, type Caller } from '../config/options.js';
import { nameParam } from '../scanners/scanner-params.js';
import { canonicalJson, hashPlan, selectIdentity, type RunPlan } from './run-plan.js';

export interface PlanDifference {
  /** What differs, in the caller's terms. */
  what: string;
  was: string;
  now: string;
  /** Content (data, scanner code, barwise) changed rather than an option: only a new run helps. */
  content: boolean;
}

export function diffPlans(recorded: RunPlan, current: RunPlan, caller: Caller): PlanDifference[] {
  const a = selectIdentity(recorded) as unknown as Record<string, Record<string, unknown>>;
  const b = selectIdentity(current) as unknown as Record<string, Record<string, unknown>>;
  const out: PlanDifference[] = [];
  const differ = (x: unknown, y: unknown) => canonicalJson(x) !== canonicalJson(y);
  const option = (what: string, x: unknown, y: unknown) => {
    if (differ(x, y)) out.push({ what, was: show(x), now: show(y), content: false });
  };
  const run = (key: string) => nameKey('run', key, caller);

  option(run('db'), a.db, b.db);
  option(run('scanner'), a.scanner?.path, b.scanner?.path);
  option(run('scannerKind'), a.scanner?.kind, b.scanner?.kind);
  if (a.scanner?.path === b.scanner?.path && differ(a.scanner?.sha256, b.scanner?.sha256)) {
    const files = b.scanner.files as string[];
    out.push({ what: `the scanner's code (${files.join(', ')})`, was: String(a.scanner.sha256).slice(0, 12), now: String(b.scanner.sha256).slice(0, 12), content: true });
  }
  option(run('tickers'), [...(a.universe.tickers as string[]), ...(a.universe.withoutBars as string[])].sort(),
    [...(b.universe.tickers as string[]), ...(b.universe.withoutBars as string[])].sort());
  option(run('from'), a.universe.from, b.universe.from);
  option(run('to'), a.universe.to, b.universe.to);
  for (const k of [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort()) option(run(k), a.options[k], b.options[k]);
  for (const k of ['references', 'lookbackDays', 'dailyBars']) option(run(k), a.context[k], b.context[k]);
  // Each parameter by its name: `--param vol_mult was 2, now 2.5` (a plan without the field has none).
  const pa = (a.params ?? {}) as Record<string, unknown>;
  const pb = (b.params ?? {}) as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) option(nameParam(run('params'), k), pa[k], pb[k]);
  const ta = (a.trade ?? null) as Record<string, unknown> | null;
  const tb = (b.trade ?? null) as Record<string, unknown> | null;
  if ((ta === null) !== (tb === null)) {
    option(run('trade'), ta === null ? 'off' : 'on', tb === null ? 'off' : 'on');
  } else if (ta && tb) {
    for (const k of [...new Set([...Object.keys(ta), ...Object.keys(tb)])].filter((k) => k !== 'exitSecond').sort()) {
      option(nameKey('trade', k, caller), ta[k], tb[k]);
    }
  }
  if (a.version !== b.version) out.push({ what: 'the barwise version', was: String(a.version), now: String(b.version), content: true });
  if (differ(a.market?.sha256, b.market?.sha256) && !out.some((d) => !d.content && /tickers|from|to|timeframe|references|lookback|daily|db/i.test(d.what))) {
    out.push({ what: 'the market data the run reads', ...describeMarketChange(recorded, current), content: true });
  }
  // Any other difference of the identity (a field added to the plan and not named above) still refuses.
  if (out.length === 0 && differ(a, b)) {
    out.push({ what: 'the run plan (runs.plan_json)', was: hashPlan(recorded).slice(0, 12), now: hashPlan(current).slice(0, 12), content: true });
  }
  return out;
}

/** The first few tickers whose bars changed, e.g. `AAPL: 390 bars, last 2025-01-03 …`. */
function describeMarketChange(recorded: RunPlan, current: RunPlan): { was: string; now: string } {
  const x = recorded.market.tickers;
  const y = current.market.tickers;
  const changed = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort().filter((k) => canonicalJson(x[k]) !== canonicalJson(y[k]));
  const shown = changed.slice(0, 3);
  const fmt = (v: [number, number, number, string] | undefined) => (v ? `${v[0]} bars, checksum ${v[3]}` : 'no bars');
  const more = changed.length > shown.length ? ` and ${changed.length - shown.length} more` : '';
  return {
    was: shown.map((k) => `${k}: ${fmt(x[k])}`).join('; ') + more,
    now: shown.map((k) => `${k}: ${fmt(y[k])}`).join('; ') + more,
  };
}

function show(v: unknown): string {
  if (v === undefined) return 'not set';
  const s = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** One line per difference: `--stop-pct was 1, now 2`. */
export function formatDifferences(diffs: readonly PlanDifference[]): string {
  return diffs.map((d) => `${d.what} was ${d.was}, now ${d.now}`).join('; ');
}
