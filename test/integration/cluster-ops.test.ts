/**
 * Over the queue, beyond one backtest of one file: a module scanner importing its own local files runs on a
 * worker exactly as the coordinator has it, and a batch runs every job over the queue. Real Redis, real
 * `barwise worker` processes; the local run is the oracle.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ROOT, runCli } from '../helpers/temp.js';
import { useQueueWorkers, type WorkerProcess } from '../helpers/queue-workers.js';

const SECRET = 'cluster-ops-secret';
const RANGE = ['--tickers', 'AAPL,MSFT,NVDA,TSLA', '--from', '2025-11-03', '--to', '2025-11-14'];
const env = { BARWISE_QUEUE_SECRET: SECRET };

/** What a backtest found (not when, where or how fast), and the scanner hash it recorded. */
function findings(file: string) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  return JSON.stringify({ signals: j.signals, failures: j.failures, trades: j.trades, stats: j.stats, counts: j.run.counts, plan_hash: j.run.plan_hash });
}
const scannerHash = (file: string): string => JSON.parse(fs.readFileSync(file, 'utf8')).run.scanner_sha256;

/** Each job of the latest batch in a results database: its run's status, plan hash, signals, trades and statistics, as stored. */
function batchFindings(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const jobs = db.prepare(`SELECT job, run_id FROM batch_jobs WHERE batch_id = (SELECT MAX(batch_id) FROM batch_jobs) ORDER BY job`).all() as { job: string; run_id: number }[];
    return JSON.stringify(jobs.map(({ job, run_id }) => ({
      job,
      run: db.prepare('SELECT status, plan_hash, signal_count, failure_count, stats_json FROM runs WHERE id = ?').get(run_id),
      signals: db.prepare(`SELECT ticker, signal_date, signal_time, timestamp, seq, direction, pattern_strength, metrics_json FROM signals WHERE run_id = ?
        ORDER BY signal_date, timestamp, ticker, seq`).all(run_id),
      trades: db.prepare('SELECT ticker, date, direction, signal_ts, seq, entry_ts, entry_price, exit_ts, exit_price, exit_reason, shares, pnl FROM trades WHERE run_id = ? ORDER BY date, signal_ts, ticker, seq').all(run_id),
    })));
  } finally {
    db.close();
  }
}

describe('cluster: local imports and batches over the queue', function () {
  const queue = useQueueWorkers(6, { tmpPrefix: 'barwise-cluster-ops-', secret: SECRET, checkTempLeft: true });
  const { url, tmp } = queue;
  let workers: WorkerProcess[] = [];

  it('runs a .ts scanner importing local helpers on a worker elsewhere as locally, and a changed helper is a new scanner hash', async () => {
    // The scanner imports a helper beside it and one in a sibling folder, which imports a third.
    const proj = `${tmp()}/proj`;
    fs.mkdirSync(`${proj}/scanners/util`, { recursive: true });
    fs.mkdirSync(`${proj}/lib`);
    fs.writeFileSync(`${proj}/scanners/rise.ts`, [
      "import { minRise } from '../lib/limits.js';",
      "import { change } from './util/change';",
      'export default {',
      "  name: 'rise', warmupBars: 2,",
      '  scan(ctx: { index: number; bars: readonly { close: number }[] }) {',
      '    const c = change(ctx.bars[ctx.index - 1].close, ctx.bars[ctx.index].close);',
      "    return c >= minRise ? { direction: 'LONG', pattern_strength: c } : null;",
      '  },',
      '};',
      '',
    ].join('\n'));
    fs.writeFileSync(`${proj}/scanners/util/change.ts`, 'export function change(a: number, b: number): number { return Math.round(((b - a) / a) * 1e6) / 1e4; }\n');
    const writeLimits = (pct: number) => fs.writeFileSync(`${proj}/lib/limits.ts`, `import { change } from '../scanners/util/change.js';\nexport const minRise = ${pct} + change(1, 1);\n`);
    writeLimits(0.2);
    // The worker runs from a folder of its own, with none of these files at any relative path.
    const elsewhere = `${tmp()}/worker-cwd`;
    fs.mkdirSync(elsewhere);
    workers = [await queue.start({ tmpDir: `${tmp()}/wl`, cwd: elsewhere })];
    const args = ['backtest', '--scanner', `${proj}/scanners/rise.ts`, ...RANGE, '--results-db', ':memory:'];
    const run = async (name: string, queue: boolean) => {
      const out = `${tmp()}/${name}.json`;
      const r = await runCli([...args, ...(queue ? ['--queue', url()] : ['--threads', '2']), '--out', out], { env });
      expect(r.code, r.stderr).to.equal(0);
      return out;
    };
    const [local1, queue1] = [await run('local-1', false), await run('queue-1', true)];
    expect(JSON.parse(fs.readFileSync(local1, 'utf8')).signals.length, 'the oracle run signals').to.be.greaterThan(3);
    expect(findings(queue1)).to.equal(findings(local1));
    expect(workers[0].log()).to.match(/plan [0-9a-f]+: rise\.ts/);

    // A changed helper, and nothing else: another scanner hash, and the worker runs the new helper.
    writeLimits(0.4);
    const [local2, queue2] = [await run('local-2', false), await run('queue-2', true)];
    expect(scannerHash(local2)).not.to.equal(scannerHash(local1));
    expect(findings(queue2)).to.equal(findings(local2));
    expect(findings(local2), 'the helper changes what the scanner finds').not.to.equal(findings(local1));
    expect(workers[0].log().match(/plan [0-9a-f]+: rise\.ts/g)).to.have.length(2);
  });

  it('runs every job of a batch over the queue, with the results of the same batch run locally', async () => {
    const config = `${tmp()}/nightly.yaml`;
    fs.writeFileSync(config, [
      'name: nightly',
      `db: ${queue.db()}`,
      'jobs:',
      `  - { name: orb, scanner: ${path.join(ROOT, 'scanners/opening-range-breakout.sql')}, universe: [AAPL, MSFT, NVDA, TSLA], range: { from: 2025-11-03, to: 2025-11-14 }, options: { trade: { stopPct: 1, targetPct: 2 } } }`,
      `  - { name: vwap, scanner: ${path.join(ROOT, 'scanners/vwap-reclaim.ts')}, universe: [AAPL, MSFT, NVDA], range: { from: 2025-11-03, to: 2025-11-14 }, options: { signals: all } }`,
      '',
    ].join('\n'));
    const local = await runCli(['batch', '--config', config, '--results-db', `${tmp()}/batch-local.db`, '--max-threads', '2']);
    expect(local.code, local.stderr).to.equal(0);
    workers = await Promise.all([0, 1].map((i) => queue.start({ tmpDir: `${tmp()}/wb-${i}` })));
    const queued = await runCli(['batch', '--config', config, '--results-db', `${tmp()}/batch-queue.db`, '--queue', url()], { env });
    expect(queued.code, queued.stderr).to.equal(0);
    const there = batchFindings(`${tmp()}/batch-queue.db`);
    expect(JSON.parse(there).map((j: { signals: unknown[] }) => j.signals.length).every((n: number) => n > 0), 'both jobs signal').to.equal(true);
    expect(JSON.parse(there)[1].trades.length === 0 && JSON.parse(there)[0].trades.length > 0, 'the orb job trades').to.equal(true);
    expect(there).to.equal(batchFindings(`${tmp()}/batch-local.db`));
    // Both jobs ran on the workers: each plan was loaded by one of them.
    const logs = workers.map((w) => w.log()).join('');
    expect(logs).to.match(/plan [0-9a-f]+: opening-range-breakout\.sql/);
    expect(logs).to.match(/plan [0-9a-f]+: vwap-reclaim\.ts/);
  });

  it('refuses batch --queue without a secret before any job runs', async () => {
    const config = `${tmp()}/nosecret.yaml`;
    fs.writeFileSync(config, `jobs:\n  - { name: orb, scanner: ${path.join(ROOT, 'scanners/opening-range-breakout.sql')}, universe: [AAPL] }\n`);
    const r = await runCli(['batch', '--config', config, '--results-db', `${tmp()}/nosecret.db`, '--queue', url()], { env: { BARWISE_QUEUE_SECRET: '' } });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('the queue needs a shared secret: pass --queue-secret or set BARWISE_QUEUE_SECRET');
    expect(fs.existsSync(`${tmp()}/nosecret.db`)).to.equal(false);
  });
});
