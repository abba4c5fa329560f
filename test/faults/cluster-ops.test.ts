/**
 * Fault catalogue, the queue's commands around a run: listing the workers of a queue that does not answer, a
 * scanner too large to send with its imports, and a batch over a queue that does not answer. Each fails before
 * anything runs or is recorded, naming what to fix. No Redis needed: each stops before one would be used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';
import { findFreePort } from '../helpers/redis.js';

describe('faults: the queue\'s commands', function () {
  const tmp = useTempDir('barwise-queue-faults-');
  const env = { BARWISE_QUEUE_SECRET: 'queue-faults-secret' };

  it('barwise workers on a URL where no Redis answers: exit 1, naming the URL', async () => {
    const port = await findFreePort();
    const r = await runCli(['workers', '--queue', `redis://127.0.0.1:${port}`]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`cannot reach the queue at redis://127.0.0.1:${port}`);
    expect(r.stderr).to.contain('Check that redis-server runs there');
    expect(r.stdout).to.equal('');
  });

  it('refuses a scanner whose files with their imports exceed what a shard may carry, before anything runs', async () => {
    const port = await findFreePort();
    fs.writeFileSync(`${tmp()}/table.ts`, `export const TABLE = ${JSON.stringify('x'.repeat(5 * 1024 * 1024))};\n`);
    fs.writeFileSync(`${tmp()}/big.ts`, "import { TABLE } from './table.js';\nexport default { scan: () => (TABLE.length < 0 ? { direction: 'LONG' } : null) };\n");
    const results = `${tmp()}/big.db`;
    const r = await runCli(['backtest', '--scanner', `${tmp()}/big.ts`, '--tickers', 'AAPL', '--queue', `redis://127.0.0.1:${port}`, '--results-db', results], { env });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/big\.ts and the files it imports are 5\.0 MB: more than the 4 MB a scanner sent over the queue may be/);
    expect(fs.existsSync(results), 'nothing recorded').to.equal(false);
  });

  it('batch --queue where no Redis answers: exit 1 before any job, nothing recorded', async () => {
    const port = await findFreePort();
    const config = `${tmp()}/b.yaml`;
    fs.writeFileSync(config, `jobs:\n  - { name: orb, scanner: ${path.join(ROOT, 'scanners/opening-range-breakout.sql')}, universe: [AAPL] }\n`);
    const results = `${tmp()}/b.db`;
    const r = await runCli(['batch', '--config', config, '--results-db', results, '--queue', `redis://127.0.0.1:${port}`], { env });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`cannot reach the queue at redis://127.0.0.1:${port}`);
    expect(r.stderr).not.to.contain('[orb]');
    expect(fs.existsSync(results), 'nothing recorded').to.equal(false);
  });
});
