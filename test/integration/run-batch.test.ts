/**
 * runBatch in-process: jobs side by side share the threads and never exceed the concurrency.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { parseBatchConfig } from '../../src/batch/batch-config.js';
import { runBatch } from '../../src/batch/run-batch.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const CLIMBER = path.join(ROOT, 'test/fixtures/scanners/steady-climber.ts');

describe('runBatch', function () {
  const tmp = useTempDir();

  it('runs at most `concurrency` jobs at once, each with its share of maxThreads', async () => {
    const jobs = ['AAPL', 'MSFT', 'NVDA', 'AMD'].map((t) => ({ name: t.toLowerCase(), scanner: CLIMBER, universe: [t], range: { from: '2025-11-03', to: '2025-11-07' }, options: { threads: 4 } }));
    const config = parseBatchConfig({ concurrency: 2, maxThreads: 3, jobs }, path.join(tmp(), 'b.yaml'));
    const resultsDb = path.join(tmp(), 'r.db');
    const summary = await runBatch(config, { resultsDb });
    expect(summary.jobs.map((j) => j.status)).to.deep.equal(['completed', 'completed', 'completed', 'completed']);

    const db = new Database(resultsDb, { readonly: true });
    const runs = db.prepare('SELECT started_at, finished_at, threads FROM runs').all() as { started_at: string; finished_at: string; threads: number }[];
    db.close();
    // 3 threads for 2 jobs at a time: 1 each, although every job asked for 4.
    expect(runs.map((r) => r.threads)).to.deep.equal([1, 1, 1, 1]);
    const events = runs.flatMap((r) => [[r.started_at, 1], [r.finished_at, -1]] as [string, number][])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    let now = 0;
    let peak = 0;
    for (const [, d] of events) peak = Math.max(peak, (now += d));
    expect(peak).to.equal(2);
  });
});
