import { expect } from 'chai';
import { classifySignals, summarizeAudit } from '../../../src/audit/classify-signals.js';
import type { Signal } from '../../../src/types.js';

// A hand-built day: bars every 5 minutes from 09:30, with the 09:45 bar missing, so bar counts are not
// minutes / 5. Bar index by time: 09:30→0, 09:35→1, 09:40→2, 09:50→3, 09:55→4, 10:00→5, 10:05→6, 10:10→7.
const TIMES = ['09:30', '09:35', '09:40', '09:50', '09:55', '10:00', '10:05', '10:10'];
const T0 = Date.parse('2025-11-03T09:30:00-05:00');
const ts = (hhmm: string) => T0 + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) - 570) * 60_000;
const barIndex = (_t: string, _d: string, timestamp: number) => TIMES.map(ts).indexOf(timestamp);

function sig(ticker: string, hhmm: string, direction: string | null = 'LONG', date = '2025-11-03'): Signal {
  return { ticker, signal_date: date, signal_time: `${hhmm}:00`, timestamp: ts(hhmm), seq: 0, direction, pattern_strength: null, metrics: {} };
}
type Brief = [string, string, string | null, string | null, number | null];
const brief = (e: ReturnType<typeof classifySignals>): Brief[] => e.map((x) => [
  x.ticker, x.category, x.full_day?.signal_time.slice(0, 5) ?? null, x.realtime?.signal_time.slice(0, 5) ?? null, x.bars_late,
]);

describe('classifySignals', () => {
  describe('first mode (first signal per ticker-day)', () => {
    const first = { signals: 'first' as const, barIndex };

    it('confirmed at the same bar, late and early counted in bars across a missing bar, phantom and extra', () => {
      const full = [sig('AAA', '09:35'), sig('BBB', '09:40'), sig('CCC', '10:00'), sig('DDD', '09:30')];
      const real = [sig('AAA', '09:35'), sig('BBB', '09:55'), sig('CCC', '09:35'), sig('EEE', '10:10')];
      expect(brief(classifySignals(full, real, first))).to.deep.equal([
        ['DDD', 'phantom', '09:30', null, null],
        ['AAA', 'confirmed', '09:35', '09:35', 0],
        ['CCC', 'early', '10:00', '09:35', -4], // 09:35 is bar 1, 10:00 bar 5
        ['BBB', 'late', '09:40', '09:55', 2], // bar 2 → bar 4: the 09:45 bar is missing
        ['EEE', 'extra', null, '10:10', null],
      ]);
    });

    it('compares only the first signal of each side, per ticker and date', () => {
      const full = [sig('AAA', '10:05'), sig('AAA', '09:30'), sig('AAA', '09:30', 'LONG', '2025-11-04')];
      const real = [sig('AAA', '09:50'), sig('AAA', '10:10'), sig('AAA', '09:30', 'LONG', '2025-11-04')];
      expect(brief(classifySignals(full, real, first))).to.deep.equal([
        ['AAA', 'late', '09:30', '09:50', 3],
        ['AAA', 'confirmed', '09:30', '09:30', 0],
      ]);
    });
  });

  describe('all mode (every signal)', () => {
    const all = { signals: 'all' as const, barIndex };

    it('matches exact bars first, then each leftover full-day signal to the next realtime one before the next full-day signal', () => {
      // Full-day: 09:30, 09:40, 10:05. Realtime: 09:40 (exact), 09:50 (after 09:30 but past 09:40 → not 09:30's),
      // 10:10 (after 10:05) → 09:30 phantom, 10:05 late by 1, 09:50 extra.
      const full = [sig('AAA', '09:30'), sig('AAA', '09:40'), sig('AAA', '10:05')];
      const real = [sig('AAA', '09:40'), sig('AAA', '09:50'), sig('AAA', '10:10')];
      expect(brief(classifySignals(full, real, all))).to.deep.equal([
        ['AAA', 'phantom', '09:30', null, null],
        ['AAA', 'confirmed', '09:40', '09:40', 0],
        ['AAA', 'extra', null, '09:50', null],
        ['AAA', 'late', '10:05', '10:10', 1],
      ]);
    });

    it('matches within a direction only', () => {
      const full = [sig('AAA', '09:35', 'LONG'), sig('AAA', '09:35', 'SHORT')];
      const real = [sig('AAA', '09:35', 'SHORT'), sig('AAA', '09:40', 'LONG')];
      const e = classifySignals(full, real, all);
      expect(e.map((x) => [x.category, x.full_day?.direction, x.realtime?.direction, x.bars_late])).to.deep.equal([
        ['confirmed', 'SHORT', 'SHORT', 0],
        ['late', 'LONG', 'LONG', 1],
      ]);
    });
  });

  it('is independent of input order', () => {
    const full = [sig('AAA', '09:30'), sig('BBB', '09:40'), sig('AAA', '10:05'), sig('CCC', '09:50')];
    const real = [sig('AAA', '09:40'), sig('BBB', '09:40'), sig('AAA', '10:10'), sig('DDD', '09:30')];
    for (const signals of ['first', 'all'] as const) {
      const a = classifySignals(full, real, { signals, barIndex });
      const b = classifySignals([...full].reverse(), [...real].reverse(), { signals, barIndex });
      expect(b).to.deep.equal(a);
    }
  });
});

describe('summarizeAudit', () => {
  it('counts categories and gives the share of full-day signals knowable at the time', () => {
    const full = [sig('AAA', '09:35'), sig('BBB', '09:40'), sig('CCC', '10:00'), sig('DDD', '09:30'), sig('FFF', '09:30')];
    const real = [sig('AAA', '09:35'), sig('BBB', '09:55'), sig('CCC', '09:35'), sig('EEE', '10:10'), sig('FFF', '10:10')];
    const s = summarizeAudit(classifySignals(full, real, { signals: 'first', barIndex }));
    // FFF: 09:30 (bar 0) → 10:10 (bar 7): late by 7; BBB late by 2.
    expect(s).to.deep.equal({
      full_day_signals: 5, realtime_signals: 5, confirmed: 1, late: 2, early: 1, phantom: 1, extra: 1,
      before_warmup: 0, warmup: 0, time_outside_session: 0, knowable_share: 0.2, bars_late_mean: 4.5, bars_late_max: 7,
    });
  });

  it('leaves signals before the warmup and times outside the session out of the knowable share, and names the warmup', () => {
    const outside = { ...sig('GGG', '10:10'), metrics: { reported_time_outside_session: '18:40' } };
    const full = [sig('AAA', '09:35'), sig('BBB', '09:40'), sig('CCC', '09:55'), sig('DDD', '10:00'), outside];
    const real = [sig('AAA', '09:55'), sig('BBB', '09:55'), sig('CCC', '09:55'), sig('DDD', '10:00'), sig('GGG', '10:10')];
    const entries = classifySignals(full, real, { signals: 'first', barIndex, warmup: 4 });
    expect(brief(entries)).to.deep.equal([
      ['AAA', 'before-warmup', '09:35', '09:55', null], // bar 1 < 4: realtime's first step is bar 4 (09:55)
      ['BBB', 'before-warmup', '09:40', '09:55', null],
      ['CCC', 'confirmed', '09:55', '09:55', 0],
      ['DDD', 'confirmed', '10:00', '10:00', 0],
      ['GGG', 'time-outside-session', '10:10', '10:10', null],
    ]);
    expect(entries[4].reported_time).to.equal('18:40');
    const s = summarizeAudit(entries, 4);
    expect([s.before_warmup, s.time_outside_session, s.warmup, s.confirmed, s.late]).to.deep.equal([2, 1, 4, 2, 0]);
    expect(s.knowable_share).to.equal(1); // 2 confirmed of the 2 realtime could check
  });

  it('all mode: a full-day signal before the warmup is set apart, the others matched as usual', () => {
    const full = [sig('AAA', '09:35'), sig('AAA', '10:00'), sig('AAA', '10:10')];
    const real = [sig('AAA', '09:55'), sig('AAA', '10:05')];
    expect(brief(classifySignals(full, real, { signals: 'all', barIndex, warmup: 4 }))).to.deep.equal([
      ['AAA', 'before-warmup', '09:35', '09:55', null],
      ['AAA', 'late', '10:00', '10:05', 1],
      ['AAA', 'phantom', '10:10', null, null],
    ]);
  });

  it('has no share without full-day signals', () => {
    expect(summarizeAudit([]).knowable_share).to.equal(null);
  });
});
