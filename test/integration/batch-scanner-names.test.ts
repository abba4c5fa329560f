/**
 * A batch job's scanner: a path beside the batch file, or the name of a shipped example when no such file is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

describe('batch: scanner names', function () {
  const tmp = useTempDir();

  it('runs a job naming a shipped example, and prefers a file of that name beside the batch file', async () => {
    const dir = path.join(tmp(), 'jobs');
    fs.mkdirSync(dir);
    // Beside the batch file: a copy of opening-range-breakout under the shipped volume-spike's name.
    fs.copyFileSync(path.join(ROOT, 'scanners/opening-range-breakout.sql'), path.join(dir, 'volume-spike.sql'));
    const config = path.join(dir, 'names.yaml');
    fs.writeFileSync(config, [
      'resultsDb: names.db',
      'jobs:',
      '  - { name: by-name, scanner: gap-up-hold, universe: [AAPL], range: { from: 2025-11-03, to: 2025-11-04 } }',
      '  - { name: beside, scanner: volume-spike.sql, universe: [AAPL], range: { from: 2025-11-03, to: 2025-11-04 } }',
    ].join('\n'));
    const r = await runCli(['batch', '--config', config, '--max-threads', '1']);
    expect(r.code, r.stderr).to.equal(0);
    const db = new Database(path.join(dir, 'names.db'), { readonly: true });
    const scanners = db.prepare('SELECT b.job, r.scanner FROM batch_jobs b JOIN runs r ON r.id = b.run_id ORDER BY b.job').all() as { job: string; scanner: string }[];
    db.close();
    expect(scanners).to.deep.equal([
      { job: 'beside', scanner: path.join(dir, 'volume-spike.sql') },
      { job: 'by-name', scanner: path.join(ROOT, 'scanners', 'gap-up-hold.sql') },
    ]);
  });
});
