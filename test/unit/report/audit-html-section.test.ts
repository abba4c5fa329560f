import { expect } from 'chai';
import { renderAuditHtmlSection } from '../../../src/report/audit-html-section.js';
import type { AuditResult } from '../../../src/audit/audit-types.js';

describe('renderAuditHtmlSection', () => {
  it('shows the knowable share and the unconfirmed signals, with every value escaped', () => {
    const result = {
      audit: {
        scanner: { path: 'x', name: '<script>alert(1)</script>', kind: 'module' },
        summary: { full_day_signals: 4, realtime_signals: 3, confirmed: 1, late: 2, early: 0, phantom: 1, extra: 0, before_warmup: 0, warmup: 30, time_outside_session: 0, knowable_share: 0.25, bars_late_mean: 3, bars_late_max: 5 },
      },
      entries: [
        { ticker: 'A&B', date: '2025-11-03', category: 'late', full_day: { signal_time: '10:05:00', timestamp: 1, direction: 'LONG' }, realtime: { signal_time: '10:30:00', timestamp: 2, direction: 'LONG' }, bars_late: 5 },
        { ticker: 'CCC', date: '2025-11-03', category: 'confirmed', full_day: { signal_time: '10:00:00', timestamp: 1, direction: null }, realtime: { signal_time: '10:00:00', timestamp: 1, direction: null }, bars_late: 0 },
      ],
    } as unknown as AuditResult;
    const html = renderAuditHtmlSection(result);
    expect(html).to.match(/^<section class="barwise-audit">/);
    expect(html).to.include('<strong>25.0%</strong> of 4 full-day signals realtime could check were knowable at the time (warmup 30 bars).');
    expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.to.include('<script>');
    expect(html).to.include('<tr><td>2025-11-03</td><td>A&amp;B</td><td>late</td><td>10:05:00</td><td>10:30:00</td><td>5</td></tr>');
    expect(html).not.to.include('CCC'); // confirmed signals are counted, not listed
  });
});
