/**
 * The README's first screen shows the output of `npm run backtest`: its numbers must be what that command
 * gives on the bundled sample today (ticker-days, steps, signals, the first signals), not a stale picture.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

describe("the README's sample output", function () {
  const tmp = useTempDir();

  it('matches a real run of the default backtest', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sample = readme.slice(0, readme.indexOf('What barwise is **not**'));
    const cell = (label: string) => new RegExp(`│ ${label} +│ ([^│]+?) +│`).exec(sample)?.[1];
    const out = path.join(tmp(), 'run.json');
    const r = await runCli(['backtest', '--out', out, '--results-db', ':memory:']);
    expect(r.code, r.stderr).to.equal(0);
    const run = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(cell('Ticker-days')).to.equal(`${run.run.counts.ticker_days} (0 too short, 0 failed)`);
    expect(cell('Signals')).to.equal(String(run.signals.length));
    expect(cell('Steps')).to.match(new RegExp(`^${run.run.counts.steps.toLocaleString('en-US')} at `));
    expect(cell('Range')).to.equal(`${run.run.from} .. ${run.run.to}, ${run.run.tickers.length} ticker(s), regular session`);
    const rows = [...sample.matchAll(/│ (\d{4}-\d{2}-\d{2}) │ (\d\d:\d\d:\d\d) │ (\w+) +│ (\w+) +│/g)].map((m) => m.slice(1, 5));
    expect(rows.length).to.be.at.least(2);
    expect(rows).to.deep.equal(run.signals.slice(0, rows.length).map((s: { signal_date: string; signal_time: string; ticker: string; direction: string }) =>
      [s.signal_date, s.signal_time, s.ticker, s.direction]));
  });
});
