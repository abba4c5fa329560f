/**
 * The audit on full-day signals realtime cannot check: a signal before the warmup (realtime's first step) is
 * `before-warmup`, not "late", and a reported time outside the session (a script printing UTC times) is
 * `time-outside-session`, not "early" or "late"; both are left out of the knowable share. With
 * --reported-time-zone UTC the UTC script is read right, across a daylight-saving change. Expected bars are
 * set by hand in the price paths below (volume spikes at chosen bars), not computed by the code under test.
 */
import path from 'node:path';
import { expect } from 'chai';
import { runAudit } from '../../src/audit/run-audit.js';
import type { AuditEntry } from '../../src/audit/audit-types.js';
import { formatAuditJson } from '../../src/report/format-audit-json.js';
import { renderAuditTable } from '../../src/report/audit-table.js';
import { renderAuditHtmlSection } from '../../src/report/audit-html-section.js';
import { nyTime, writeStore, type TestBar } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners/audit', f);

/** `slots` five-minute bars from 09:30 New York, flat, volume 1000 except 90000 at bar `spike`. */
function spikeDay(ticker: string, date: string, slots: number, spike: number): TestBar[] {
  const start = nyTime(date, '09:30');
  return Array.from({ length: slots }, (_, i) => ({
    ticker, timestamp: start + i * 300_000, open: 50, high: 50.5, low: 49.5, close: 50, volume: i === spike ? 90_000 : 1000,
  }));
}
/** Bar i of a 09:30 day, as HH:MM:SS. */
const at = (i: number) => {
  const m = 9 * 60 + 30 + 5 * i;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
};
type Row = [string, string, string, string | null, string | null];
const rows = (entries: AuditEntry[]): Row[] => entries.map((e) => [e.ticker, e.date, e.category, e.full_day?.signal_time ?? null, e.realtime?.signal_time ?? null]);

describe('audit: signals realtime cannot check (warmup, reported times)', function () {
  const tmp = useTempDir();

  describe('before the warmup', () => {
    let db: string;
    before(() => {
      // warmup 10 (the script's): AAA's 2025-10-31 spike is at bar 3, before realtime's first step.
      db = writeStore(path.join(tmp(), 'warmup.db'), [
        ...spikeDay('AAA', '2025-10-31', 20, 3), ...spikeDay('AAA', '2025-11-03', 20, 14),
        ...spikeDay('BBB', '2025-10-31', 20, 12), ...spikeDay('BBB', '2025-11-03', 20, 12),
      ]);
    });

    it('classifies a full-day signal before bar W as before-warmup, leaves it out of the knowable share and names the warmup (table, JSON, HTML)', async () => {
      const result = await runAudit({ db, scanner: fixture('first-spike.py'), threads: 2, resultsDb: ':memory:', orderSample: 0 });
      expect(rows(result.entries)).to.deep.equal([
        ['AAA', '2025-10-31', 'before-warmup', at(3), at(10)],
        ['BBB', '2025-10-31', 'confirmed', at(12), at(12)],
        ['BBB', '2025-11-03', 'confirmed', at(12), at(12)],
        ['AAA', '2025-11-03', 'confirmed', at(14), at(14)],
      ]);
      const s = result.audit.summary;
      expect([s.full_day_signals, s.confirmed, s.late, s.before_warmup, s.warmup, s.knowable_share]).to.deep.equal([4, 3, 0, 1, 10, 1]);
      // Wide enough for every row on one line: the table's content is what is checked here.
      const table = renderAuditTable(result, true, 200);
      expect(table).to.match(/Knowable at the time\s+│?\s*100\.0% \(3 confirmed of the 3 realtime could check\)/);
      expect(table).to.match(/Before warmup\s+│?\s*1 \(full-day signals before bar 10, the warmup: realtime takes no step there; not in the share\)/);
      const json = JSON.parse(formatAuditJson(result));
      expect(json.audit.summary).to.include({ before_warmup: 1, warmup: 10, time_outside_session: 0, knowable_share: 1 });
      expect(JSON.parse(renderAuditTable(result, false))).to.include({ before_warmup: 1, warmup: 10 });
      const html = renderAuditHtmlSection(result);
      expect(html).to.include('<strong>100.0%</strong> of 3 full-day signals realtime could check were knowable at the time (warmup 10 bars). Not counted: 1 before the warmup of 10 bars (realtime&#39;s first step).');
      expect(html).to.include('<tr><th>before-warmup</th><td>1</td></tr>');
    });

    it('with --warmup 0 the same signal is confirmed: it was knowable at bar 3', async () => {
      const result = await runAudit({ db, scanner: fixture('first-spike.py'), tickers: ['AAA'], from: '2025-10-31', to: '2025-10-31', warmup: 0, threads: 1, resultsDb: ':memory:', orderSample: 0 });
      expect(rows(result.entries)).to.deep.equal([['AAA', '2025-10-31', 'confirmed', at(3), at(3)]]);
      expect(result.audit.summary.before_warmup).to.equal(0);
    });
  });

  describe('a script reporting UTC times, across the end of daylight saving time (2025-11-02)', () => {
    let db: string;
    before(() => {
      // 2025-10-31 is EDT (UTC-4), 2025-11-03 EST (UTC-5). Bar 40 on 10-31 is 12:50 New York = 16:50 UTC;
      // bar 30 on 11-03 is 12:00 New York = 17:00 UTC: read as New York time, both are after the close.
      db = writeStore(path.join(tmp(), 'utc.db'), [...spikeDay('AAA', '2025-10-31', 48, 40), ...spikeDay('AAA', '2025-11-03', 48, 30)]);
    });

    it('read as New York time: time-outside-session, with the time as reported, out of the share, and a notice naming --reported-time-zone UTC', async () => {
      const result = await runAudit({ db, scanner: fixture('first-spike-utc.py'), threads: 2, resultsDb: ':memory:', orderSample: 0 });
      expect(rows(result.entries)).to.deep.equal([
        // Placed at the day's last bar (bar 47, 13:25), the nearest to a time after it.
        ['AAA', '2025-10-31', 'time-outside-session', at(47), at(40)],
        ['AAA', '2025-11-03', 'time-outside-session', at(47), at(30)],
      ]);
      expect(result.entries.map((e) => e.reported_time)).to.deep.equal(['16:50', '17:00']);
      expect(result.audit.summary).to.include({ time_outside_session: 2, late: 0, early: 0, knowable_share: null });
      const notice = result.audit.notices.find((n) => n.code === 'TIME_OUTSIDE_SESSION');
      expect(notice?.message).to.match(/^2 of 2 signal\(s\) reported a time outside the day's bars \(e\.g\. AAA 2025-10-31: "16:50", read as New York time\)/);
      expect(notice?.hint).to.match(/pass --reported-time-zone UTC/);
      expect(renderAuditTable(result, true, 200)).to.match(/time-outside-session\s+│?\s*13:25:00 LONG \(reported 16:50\)/);
    });

    it('with --reported-time-zone UTC: each lands on its bar on both sides of the change, all confirmed, no notice', async () => {
      const result = await runAudit({ db, scanner: fixture('first-spike-utc.py'), reportedTimeZone: 'UTC', threads: 2, resultsDb: ':memory:', orderSample: 0 });
      expect(rows(result.entries)).to.deep.equal([
        ['AAA', '2025-10-31', 'confirmed', at(40), at(40)],
        ['AAA', '2025-11-03', 'confirmed', at(30), at(30)],
      ]);
      expect(result.audit.summary.knowable_share).to.equal(1);
      expect(result.audit.notices.map((n) => n.code)).to.not.include('TIME_OUTSIDE_SESSION');
    });
  });
});
