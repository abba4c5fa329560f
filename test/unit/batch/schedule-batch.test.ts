/**
 * The schedule, driven by a fake clock: it fires at the cron times (and not between them), and a tick
 * that comes while the previous run is still going is skipped, not queued.
 */
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { scheduleBatch } from '../../../src/batch/schedule-batch.js';

const HOUR = 3_600_000;

describe('schedule', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  // Friday 2026-01-02, 01:00 UTC
  beforeEach(() => {
    clock = FakeTimers.install({ now: Date.parse('2026-01-02T01:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.uninstall());

  it('fires at 02:00 on weekdays only', async () => {
    // croner re-arms its timer at most every 30 s, so each case starts the clock just before 02:00.
    const at = async (start: string) => {
      clock.setSystemTime(Date.parse(start));
      const fired: string[] = [];
      const s = scheduleBatch({ cron: '0 2 * * 1-5', timezone: 'UTC', run: async (t) => void fired.push(t.toISOString()) });
      await clock.tickAsync(4 * 60_000);
      const next = s.nextRun()?.toISOString();
      await s.stop();
      return { fired, next };
    };
    expect(await at('2026-01-02T01:58:00Z')).to.deep.equal({ fired: ['2026-01-02T02:00:00.000Z'], next: '2026-01-05T02:00:00.000Z' }); // Friday
    expect(await at('2026-01-03T01:58:00Z')).to.deep.equal({ fired: [], next: '2026-01-05T02:00:00.000Z' }); // Saturday
    expect(await at('2026-01-04T01:58:00Z')).to.deep.equal({ fired: [], next: '2026-01-05T02:00:00.000Z' }); // Sunday
    expect(await at('2026-01-05T01:58:00Z')).to.deep.equal({ fired: ['2026-01-05T02:00:00.000Z'], next: '2026-01-06T02:00:00.000Z' }); // Monday
  });

  it('skips a tick while the previous run is still going, then fires again once it has ended', async () => {
    const started: string[] = [];
    const skipped: string[] = [];
    let finish = () => {};
    const s = scheduleBatch({
      cron: '*/10 * * * *',
      timezone: 'UTC',
      run: (at) => {
        started.push(at.toISOString());
        return new Promise<void>((resolve) => (finish = resolve));
      },
      onSkip: (at) => skipped.push(at.toISOString()),
    });
    await clock.tickAsync(10 * 60_000); // 01:10: starts, and keeps running
    expect(s.isRunning()).to.equal(true);
    await clock.tickAsync(20 * 60_000); // 01:20 and 01:30 come while it runs
    expect(started).to.deep.equal(['2026-01-02T01:10:00.000Z']);
    expect(skipped).to.deep.equal(['2026-01-02T01:20:00.000Z', '2026-01-02T01:30:00.000Z']);
    await s.trigger(); // a manual run is refused too
    expect(started).to.have.length(1);
    finish();
    await clock.tickAsync(10 * 60_000); // 01:40
    expect(started).to.deep.equal(['2026-01-02T01:10:00.000Z', '2026-01-02T01:40:00.000Z']);
    finish();
    await s.stop();
  });

  it('keeps going after a run fails, reporting the error', async () => {
    const errors: string[] = [];
    let n = 0;
    const s = scheduleBatch({
      cron: '0 * * * *', timezone: 'UTC',
      run: async () => {
        n++;
        throw new Error(`night ${n} failed`);
      },
      onError: (err) => errors.push((err as Error).message),
    });
    await clock.tickAsync(2 * HOUR);
    await s.stop();
    expect(errors).to.deep.equal(['night 1 failed', 'night 2 failed']);
  });

  it('refuses a malformed cron expression as a usage error', () => {
    expect(() => scheduleBatch({ cron: '0 2 * *', run: async () => {} })).to.throw(/is not a cron expression/);
  });
});
