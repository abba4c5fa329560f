/**
 * Fault catalogue, installation and build: barwise's CLI started where its compiled code is missing.
 * (The installed package's faults, tsx missing above all, are in test/integration/package.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { ROOT, useTempDir } from '../helpers/temp.js';

describe('faults: installation and build', () => {
  const tmp = useTempDir();

  it('dist/ not built: exit 1, says to run npm run build, and writes nothing', () => {
    // The real bin/barwise.js in a package tree that has everything but dist/.
    const pkg = path.join(tmp(), 'barwise');
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'bin', 'barwise.js'), path.join(pkg, 'bin', 'barwise.js'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    const before = fs.readdirSync(pkg, { recursive: true }).sort();
    const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'barwise.js'), 'backtest'], { cwd: tmp(), encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/dist\/ is not built/);
    expect(r.stderr).to.match(/npm run build/);
    expect(fs.readdirSync(pkg, { recursive: true }).sort()).to.deep.equal(before);
    expect(fs.readdirSync(tmp()).sort()).to.deep.equal(['barwise']);
  });
});
