/**
 * Start-up pays only for what the command runs: every CLI start loads its command's modules, so a package
 * imported eagerly costs each backtest (and each of the test suite's hundreds of CLI runs) its load time
 * even when the run never uses it. The queue's clients (bullmq, ioredis: ~0.3 s of CPU) load only for
 * --queue and `worker`/`workers`; the report's charts, the CSV parser and the scheduler only for their commands.
 * yargs and cli-table3 are inlined in dist/bundle (scripts/bundle-dist.mjs): none of their modules is read from
 * node_modules.
 */
import path from 'node:path';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { runCliListingPackages } from '../helpers/loaded-packages.js';
import { useTempDir } from '../helpers/temp.js';

const NOT_FOR_A_BACKTEST = ['bullmq', 'ioredis', 'chart.js', 'csv-parse', 'croner'];
/** In the bundle, with what they import. */
const INLINED = ['yargs', 'yargs-parser', 'cliui', 'y18n', 'string-width', 'cli-table3'];

describe('packages loaded at start-up', function () {
  const tmp = useTempDir('barwise-startup-');

  it('a plain backtest loads its engine (better-sqlite3, piscina) but not the queue, charts, CSV or cron packages', async () => {
    const db = writeStore(path.join(tmp(), 'market.db'), makeDay('AAPL', '2024-03-04'));
    const r = await runCliListingPackages(['backtest', '--db', db, '--scanner', 'scanners/opening-range-breakout.sql',
      '--threads', '1', '--results-db', ':memory:', '--no-progress'], path.join(tmp(), 'loaded.txt'));
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).to.include({ status: 'completed', ticker_days: 1 });
    expect(r.packages).to.include.members(['better-sqlite3', 'piscina']);
    for (const p of [...INLINED, ...NOT_FOR_A_BACKTEST]) expect(r.packages, p).to.not.include(p);
  });

  it('--help loads no command: no database, pool, queue or report package', async () => {
    const r = await runCliListingPackages(['--help'], path.join(tmp(), 'loaded.txt'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('backtest');
    for (const p of ['better-sqlite3', 'piscina', ...INLINED, ...NOT_FOR_A_BACKTEST]) expect(r.packages, p).to.not.include(p);
  });
});
