/**
 * Fault catalogue, batch jobs that are sweeps: a broken `sweep:` of a job fails that job alone, with a message
 * naming the job and the key where it is in the batch file (`jobs[1].sweep.train`), while the batch's other
 * jobs run; `batch --check` says the same without running anything. Through the real CLI on the bundled data;
 * docs/reliability.md lists every case under "Batch sweeps".
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, useTempDir } from '../helpers/temp.js';
import { expectClean, runFault } from './harness.js';

const ORB = path.join(ROOT, 'scanners', 'opening-range-breakout.sql');

interface Summary { jobs: { name: string; status: string; error?: string; run_id: number | null }[] }

describe('faults: batch sweeps', function () {
  this.timeout(180_000);
  const tmp = useTempDir('barwise-batch-sweep-');
  let n = 0;

  /** A batch of a good backtest job, then the sweep job `sweep` (YAML flow text), run (or checked) through the CLI. */
  const batch = async (sweep: string, extra: string[] = []) => {
    const id = ++n;
    const config = path.join(tmp(), `b-${id}.yaml`);
    fs.writeFileSync(config, [
      `name: faults-${id}`,
      'jobs:',
      `  - { name: good, scanner: ${ORB}, universe: [AAPL], range: { from: 2025-11-03, to: 2025-11-07 } }`,
      `  - { name: swept, scanner: ${ORB}, universe: [AAPL, MSFT], range: { from: 2025-11-03, to: 2025-11-14 }, sweep: ${sweep} }`,
    ].join('\n'));
    const results = path.join(tmp(), `b-${id}.db`);
    const r = await runFault(path.join(tmp(), 'tmp'), ['batch', '--config', config, '--results-db', results, ...extra]);
    return { ...r, results };
  };

  const cases: [string, string, RegExp][] = [
    ['an unknown key of sweep', '{ grid: { or_bars: "3,6" }, objectiv: sharpe }', /^job swept: jobs\[1\]\.sweep: unknown key "objectiv"; did you mean "objective"\?$/],
    ['a sweep without its grid', '{ objective: sharpe }', /^job swept: jobs\[1\]\.sweep\.grid: required$/],
    ['a grid that is not a map of values', '{ grid: [or_bars] }', /^job swept: jobs\[1\]\.sweep\.grid: grid maps each swept parameter to its values/],
    ['a value out of its bounds', '{ grid: { or_bars: "3,6" }, walkForward: true, train: 0, test: 5 }', /^job swept: jobs\[1\]\.sweep\.train: must be a whole number from 1 to 100000, got 0$/],
    ['a parameter the scanner does not declare', '{ grid: { or_bar: "3,6" } }', /^job swept: jobs\[1\]\.sweep\.grid\.or_bar: .*or_bars/],
    ['a range with step 0', '{ grid: { vol_mult: "1..2:0" } }', /^job swept: jobs\[1\]\.sweep\.grid\.vol_mult=1\.\.2:0: the step must be above 0/],
    ['an objective that is no statistic', '{ grid: { or_bars: "3,6" }, objective: profit_factr }', /^job swept: jobs\[1\]\.sweep\.objective profit_factr is not a statistic a sweep can rank by; did you mean profit_factor\?/],
    ['walkForward without train and test', '{ grid: { or_bars: "3,6" }, walkForward: true }', /^job swept: jobs\[1\]\.sweep\.walkForward needs jobs\[1\]\.sweep\.train and jobs\[1\]\.sweep\.test \(trading days\)/],
  ];
  for (const [what, sweep, message] of cases) {
    it(`${what}: that job fails alone (exit 1) naming it and the key; the other job completes; --check refuses it first (exit 2)`, async () => {
      const check = await batch(sweep, ['--check']);
      expect(check.code, check.stderr).to.equal(2);
      const checks = JSON.parse(check.stdout) as { name: string; ok: boolean; error?: string }[];
      expect(checks.map((c) => [c.name, c.ok])).to.deep.equal([['good', true], ['swept', false]]);
      expect(checks[1].error).to.match(message);

      const r = await batch(sweep);
      expect(r.code, r.stderr).to.equal(1);
      const summary = JSON.parse(r.stdout) as Summary;
      expect(summary.jobs.map((j) => [j.name, j.status])).to.deep.equal([['good', 'completed'], ['swept', 'failed']]);
      expect(summary.jobs[1].error).to.match(message);
      expect(summary.jobs[1].run_id, 'nothing ran for the broken sweep').to.equal(null);
      expectClean(r);
    });
  }
});
