/**
 * The audit's core, a pure function: full-day signals and realtime signals of the same scanner → one entry
 * per signal, per ticker-day.
 *
 * `first` mode compares each ticker-day's first signals: same bar → confirmed, realtime later → late,
 * realtime earlier → early, only full-day → phantom, only realtime → extra.
 *
 * `all` mode matches per ticker-day and direction: first every full-day signal with a realtime signal at the
 * same bar (confirmed); then, in time order, each remaining full-day signal with the earliest remaining
 * realtime signal after it and before the next full-day signal of that ticker-day and direction (late).
 * What is left is phantom (full-day) or extra (realtime). `early` does not occur in `all` mode.
 *
 * In both modes, a full-day signal realtime cannot check is classified as such instead, whatever it was
 * matched with (the realtime side is kept in the entry): `time-outside-session` when it reported a time outside
 * the day's bars, `before-warmup` when its bar comes before the warmup (realtime's first step).
 */
import { compareSignals, compareText } from '../merge/signal-order.js';
import type { Signal, SignalMode } from '../types.js';
import type { AuditEntry, AuditSide, AuditSummary } from './audit-types.js';
import { OUTSIDE_SESSION_METRIC } from '../runtime/resolve-reported-bar.js';

export interface ClassifyOptions {
  signals: SignalMode;
  /** Bars of the day before realtime's first step: a full-day signal before it cannot be confirmed. Default 0. */
  warmup?: number;
  /** Index of a signal's bar within its ticker-day (bars, not minutes: days have gaps and half days). */
  barIndex(ticker: string, date: string, timestamp: number): number;
}

export function classifySignals(fullDay: readonly Signal[], realtime: readonly Signal[], o: ClassifyOptions): AuditEntry[] {
  const groupKey = (s: Signal) => (o.signals === 'first' ? `${s.ticker}|${s.signal_date}` : `${s.ticker}|${s.signal_date}|${s.direction ?? ''}`);
  const groups = new Map<string, { f: Signal[]; r: Signal[] }>();
  const group = (k: string) => groups.get(k) ?? groups.set(k, { f: [], r: [] }).get(k)!;
  for (const s of fullDay) group(groupKey(s)).f.push(s);
  for (const s of realtime) group(groupKey(s)).r.push(s);

  const entries: AuditEntry[] = [];
  const bars = (f: Signal, r: Signal) => o.barIndex(r.ticker, r.signal_date, r.timestamp) - o.barIndex(f.ticker, f.signal_date, f.timestamp);
  const warmup = o.warmup ?? 0;
  const isBeforeWarmup = (f: Signal) => {
    const index = o.barIndex(f.ticker, f.signal_date, f.timestamp);
    return index >= 0 && index < warmup;
  };
  const pair = (f: Signal | null, r: Signal | null): AuditEntry => {
    const any = (f ?? r)!;
    // What realtime cannot check is set apart, whatever realtime did: a time outside the session names no bar,
    // and a bar before the warmup is one realtime never steps on.
    const outside = f ? f.metrics[OUTSIDE_SESSION_METRIC] : undefined;
    if (f && outside !== undefined) return { ...entry(any, 'time-outside-session', f, r, null), reported_time: String(outside) };
    if (f && f.timestamp !== r?.timestamp && isBeforeWarmup(f)) return entry(any, 'before-warmup', f, r, null);
    if (f && r) {
      const n = f.timestamp === r.timestamp ? 0 : bars(f, r);
      return entry(any, n === 0 ? 'confirmed' : n > 0 ? 'late' : 'early', f, r, n);
    }
    return entry(any, f ? 'phantom' : 'extra', f, r, null);
  };

  for (const { f, r } of groups.values()) {
    f.sort(compareSignals);
    r.sort(compareSignals);
    if (o.signals === 'first') {
      entries.push(pair(f[0] ?? null, r[0] ?? null));
      continue;
    }
    const fUsed = new Set<Signal>();
    const rUsed = new Set<Signal>();
    const match = (a: Signal, b: Signal) => {
      fUsed.add(a);
      rUsed.add(b);
      entries.push(pair(a, b));
    };
    for (const a of f) {
      const b = r.find((x) => !rUsed.has(x) && x.timestamp === a.timestamp);
      if (b) match(a, b);
    }
    for (let i = 0; i < f.length; i++) {
      const a = f[i];
      if (fUsed.has(a)) continue;
      const next = f.find((x) => x.timestamp > a.timestamp)?.timestamp ?? Infinity;
      const b = r.find((x) => !rUsed.has(x) && x.timestamp > a.timestamp && x.timestamp < next);
      if (b) match(a, b);
    }
    for (const a of f) if (!fUsed.has(a)) entries.push(pair(a, null));
    for (const b of r) if (!rUsed.has(b)) entries.push(pair(null, b));
  }
  return entries.sort(compareEntries);
}

export function summarizeAudit(entries: readonly AuditEntry[], warmup = 0): AuditSummary {
  const count = (c: AuditEntry['category']) => entries.filter((e) => e.category === c).length;
  const fullDay = entries.filter((e) => e.full_day !== null).length;
  const checkable = fullDay - count('before-warmup') - count('time-outside-session');
  const lates = entries.filter((e) => e.category === 'late').map((e) => e.bars_late!);
  return {
    full_day_signals: fullDay,
    realtime_signals: entries.filter((e) => e.realtime !== null).length,
    confirmed: count('confirmed'),
    late: count('late'),
    early: count('early'),
    phantom: count('phantom'),
    extra: count('extra'),
    before_warmup: count('before-warmup'),
    warmup,
    time_outside_session: count('time-outside-session'),
    knowable_share: checkable > 0 ? round(count('confirmed') / checkable) : null,
    bars_late_mean: lates.length > 0 ? round(lates.reduce((a, b) => a + b, 0) / lates.length) : null,
    bars_late_max: lates.length > 0 ? Math.max(...lates) : null,
  };
}

function entry(s: Signal, category: AuditEntry['category'], f: Signal | null, r: Signal | null, barsLate: number | null): AuditEntry {
  return { ticker: s.ticker, date: s.signal_date, category, full_day: side(f), realtime: side(r), bars_late: barsLate };
}

function side(s: Signal | null): AuditSide | null {
  return s ? { signal_time: s.signal_time, timestamp: s.timestamp, direction: s.direction } : null;
}

/** Date, then the entry's earliest time, then ticker, then category: a total order for byte-identical output. */
function compareEntries(a: AuditEntry, b: AuditEntry): number {
  const t = (e: AuditEntry) => Math.min(e.full_day?.timestamp ?? Infinity, e.realtime?.timestamp ?? Infinity);
  return compareText(a.date, b.date) || t(a) - t(b) || compareText(a.ticker, b.ticker) || compareText(a.category, b.category)
    || (a.full_day?.timestamp ?? 0) - (b.full_day?.timestamp ?? 0) || compareText(a.full_day?.direction ?? '', b.full_day?.direction ?? '')
    || compareText(a.realtime?.direction ?? '', b.realtime?.direction ?? '');
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
