/**
 * One option table, one resolver: the places an option can be given agree on what it means, what it is
 * called in messages, and which commands take it. Each case is one a user hit when they did not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runBacktest, type RunPlan } from '../../src/index.js';
import { BarwiseError } from '../../src/errors.js';
import { renderOptionsDoc } from '../../src/config/render-options-doc.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');
const RANGE = ['--tickers', 'AAPL,MSFT', '--from', '2025-11-03', '--to', '2025-11-07'];

async function refusal(p: Promise<unknown>): Promise<BarwiseError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).to.be.instanceOf(BarwiseError);
  return err as BarwiseError;
}

describe('options: one table, one resolver', function () {
  const tmp = useTempDir();

  it('docs/options.md is the one generated from the option table (npm run docs:options)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'docs/options.md'), 'utf8')).to.equal(renderOptionsDoc());
  });

  it('the library refuses a misspelt key, naming the closest option as the library spells it', async () => {
    const err = await refusal(runBacktest({ scanner: ORB, treads: 1 } as never));
    expect(err.code).to.equal('USAGE');
    expect(err.message).to.equal('options.treads is not an option; did you mean options.threads?');
    const rule = await refusal(runBacktest({ scanner: ORB, trade: { stopPtc: 1 } as never }));
    expect(rule.message).to.equal('options.trade.stopPtc is not an option; did you mean options.trade.stopPct?');
  });

  it('library errors name options.*, CLI errors name --flags', async () => {
    const lib = await refusal(runBacktest({ scanner: ORB, threads: 0, resultsDb: ':memory:' }));
    expect(lib.message).to.equal('options.threads must be a whole number from 1 to 256, got 0');
    const stop = await refusal(runBacktest({ scanner: ORB, stepTimeoutMs: -5, resultsDb: ':memory:' }));
    expect(stop.message).to.equal('options.stepTimeoutMs must be a positive number of milliseconds, got -5');
    const cli = await runCli(['backtest', '--step-timeout', '-5', '--results-db', ':memory:']);
    expect(cli.code).to.equal(2);
    expect(cli.stderr).to.include('barwise: --step-timeout must be a positive number of seconds, got -5');
    const rule = await runCli(['backtest', '--stop-pct', '150', '--results-db', ':memory:']);
    expect(rule.stderr).to.include('barwise: --stop-pct must be a number above 0 and below 100, got 150');
  });

  it('batch --check resolves every job as the batch would: unknown reference tickers fail the job, and each good job shows its plan', async () => {
    const config = path.join(tmp(), 'refs.yaml');
    fs.writeFileSync(config, [
      'jobs:',
      `  - { name: good, scanner: ${ORB}, universe: [AAPL], range: { from: 2025-11-03, to: 2025-11-04 } }`,
      `  - { name: bad-refs, scanner: ${ORB}, universe: [AAPL], options: { references: [ZZZZ] } }`,
    ].join('\n'));
    const check = await runCli(['batch', '--config', config, '--check']);
    expect(check.code, check.stderr).to.equal(2);
    const jobs = JSON.parse(check.stdout) as { name: string; ok: boolean; error?: string; plan?: RunPlan; plan_hash?: string }[];
    expect(jobs.map((j) => `${j.name}:${j.ok}`)).to.deep.equal(['good:true', 'bad-refs:false']);
    expect(jobs[1].error).to.match(/^job bad-refs: reference ticker\(s\) ZZZZ have no "5min" bars/);
    expect(jobs[0].plan!.universe).to.deep.include({ tickers: ['AAPL'], from: '2025-11-03', to: '2025-11-04' });
    expect(jobs[0].plan_hash).to.match(/^[0-9a-f]{64}$/);
    // The plan --check prints is the one a library call with the same values resolves to.
    const alone = await runBacktest({ scanner: ORB, tickers: ['AAPL'], from: '2025-11-03', to: '2025-11-04', resultsDb: ':memory:' });
    expect(alone.run.plan_hash).to.equal(jobs[0].plan_hash);
  });

  it('audit --trades-csv writes the realtime run\'s trades', async () => {
    const csv = path.join(tmp(), 'audit-trades.csv');
    const r = await runCli(['audit', ...RANGE, '--trades-csv', csv, '--results-db', ':memory:']);
    expect(r.code, r.stderr).to.equal(0);
    const backtest = path.join(tmp(), 'backtest-trades.csv');
    const b = await runCli(['backtest', ...RANGE, '--trades-csv', backtest, '--results-db', ':memory:']);
    expect(b.code, b.stderr).to.equal(0);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines.length).to.be.above(1);
    // The realtime run is a plain backtest: the same trades.
    expect(fs.readFileSync(csv, 'utf8')).to.equal(fs.readFileSync(backtest, 'utf8'));
  });

  it('audit --resume names the audit\'s runs, not one backtest run: a run id that is not in the results database is refused by number', async () => {
    const r = await runCli(['audit', ...RANGE, '--resume', '1', '--results-db', ':memory:']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('barwise: run #1 is not in :memory:');
  });

  it('backtest --resume N with one rule flag keeps the other recorded rules, and a changed rule is named by its flag', async () => {
    const results = path.join(tmp(), 'rules.db');
    const first = await runCli(['backtest', ...RANGE, '--stop-pct', '1', '--target-pct', '3', '--commission-min', '1', '--results-db', results, '--out', path.join(tmp(), 'r1.json')]);
    expect(first.code, first.stderr).to.equal(0);
    const id = JSON.parse(fs.readFileSync(path.join(tmp(), 'r1.json'), 'utf8')).run.id as number;

    const changed = await runCli(['backtest', '--resume', String(id), '--stop-pct', '2', '--results-db', results]);
    expect(changed.code).to.equal(2);
    expect(changed.stderr).to.include(`barwise: run #${id} cannot be resumed: --stop-pct was 1, now 2\n`);

    const same = await runCli(['backtest', '--resume', String(id), '--stop-pct', '1', '--threads', '1', '--results-db', results, '--out', path.join(tmp(), 'r2.json')]);
    expect(same.code, same.stderr).to.equal(0);
    const resumed = JSON.parse(fs.readFileSync(path.join(tmp(), 'r2.json'), 'utf8')).run;
    expect(resumed.id).to.equal(id);
    expect(resumed.trade).to.include({ stopPct: 1, targetPct: 3, commissionMin: 1 });
  });
});
