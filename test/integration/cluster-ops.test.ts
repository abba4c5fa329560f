/**
 * Over the queue, beyond one backtest of one file: a module scanner importing its own local files runs on a
 * worker exactly as the coordinator has it, and a batch runs every job over the queue. Real Redis, real
 * `barwise worker` processes; the local run is the oracle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { runCli, useTempDir } from '../helpers/temp.js';
import { useRedis } from '../helpers/redis.js';
import { flushQueue, startWorker, type WorkerProcess } from '../helpers/queue-workers.js';

const SECRET = 'cluster-ops-secret';
const RANGE = ['--tickers', 'AAPL,MSFT,NVDA,TSLA', '--from', '2025-11-03', '--to', '2025-11-14'];
const env = { BARWISE_QUEUE_SECRET: SECRET };

/** What a backtest found (not when, where or how fast), and the scanner hash it recorded. */
function findings(file: string) {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  return JSON.stringify({ signals: j.signals, failures: j.failures, trades: j.trades, stats: j.stats, counts: j.run.counts, plan_hash: j.run.plan_hash });
}
const scannerHash = (file: string): string => JSON.parse(fs.readFileSync(file, 'utf8')).run.scanner_sha256;

describe('cluster: local imports and batches over the queue', function () {
  const url = useRedis(6);
  const tmp = useTempDir('barwise-cluster-ops-');
  let db = '';
  let workers: WorkerProcess[] = [];

  before(async function () {
    const out = `${tmp()}/probe.json`;
    const r = await runCli(['backtest', '--tickers', 'AAPL', '--from', '2025-11-03', '--to', '2025-11-04', '--threads', '1', '--results-db', ':memory:', '--out', out]);
    expect(r.code, r.stderr).to.equal(0);
    db = JSON.parse(fs.readFileSync(out, 'utf8')).run.db;
  });

  afterEach(async () => {
    const ends = await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    for (const e of ends) expect(e.tempLeft, 'a stopped worker leaves no temp directory').to.deep.equal([]);
  });

  it('runs a .ts scanner importing local helpers on a worker elsewhere as locally, and a changed helper is a new scanner hash', async () => {
    await flushQueue(url());
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
    workers = [await startWorker({ url: url(), db, secret: SECRET, tmpDir: `${tmp()}/wl`, cwd: elsewhere })];
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
});
