/**
 * A scanner packed with its local imports: the files a worker writes are the coordinator's, in the same places
 * relative to each other (a helper in a sibling folder included), and they make the run plan's scanner hash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { packScanner, unpackScanner } from '../../../src/cluster/pack-scanner.js';
import { hashScanner } from '../../../src/plan/hash-scanner.js';

describe('cluster: a scanner packed with its local imports', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-pack-'));
    fs.mkdirSync(path.join(dir, 'proj', 'scanners', 'util'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'proj', 'lib'));
    fs.writeFileSync(path.join(dir, 'proj', 'scanners', 'rise.ts'), "import { limit } from '../lib/limit.js';\nimport { up } from './util/up';\nexport default { scan: () => (up() > limit ? null : null) };\n");
    fs.writeFileSync(path.join(dir, 'proj', 'scanners', 'util', 'up.ts'), 'export const up = () => 1;\n');
    fs.writeFileSync(path.join(dir, 'proj', 'lib', 'limit.ts'), "import '../scanners/util/up.js';\nexport const limit = 2;\n");
    fs.writeFileSync(path.join(dir, 'proj', 'scanners', 'unrelated.ts'), 'export const x = 1;\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the scanner and what it imports (not its neighbours), by path from the folder holding them all', () => {
    const p = packScanner(path.join(dir, 'proj', 'scanners', 'rise.ts'));
    expect(p.entry).to.equal('scanners/rise.ts');
    expect(p.files.map((f) => f.path)).to.deep.equal(['lib/limit.ts', 'scanners/rise.ts', 'scanners/util/up.ts']);
    expect(p.sha256).to.equal(hashScanner(path.join(dir, 'proj', 'scanners', 'rise.ts')).sha256);
    // The hash by hand: each file by its path from the scanner's folder, with its SHA-256.
    const sha = (f: string) => createHash('sha256').update(fs.readFileSync(path.join(dir, 'proj', f))).digest('hex');
    const byHand = createHash('sha256').update(`../lib/limit.ts\0${sha('lib/limit.ts')}\nrise.ts\0${sha('scanners/rise.ts')}\nutil/up.ts\0${sha('scanners/util/up.ts')}\n`).digest('hex');
    expect(p.sha256).to.equal(byHand);
  });

  it('unpacks to byte-identical files in the same layout, and refuses files that do not make the hash or leave the folder', () => {
    const p = packScanner(path.join(dir, 'proj', 'scanners', 'rise.ts'));
    const out = path.join(dir, 'out');
    const entry = unpackScanner(p, out);
    expect(entry).to.equal(path.join(out, 'scanners', 'rise.ts'));
    for (const f of ['lib/limit.ts', 'scanners/rise.ts', 'scanners/util/up.ts']) {
      expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(dir, 'proj', f))), f).to.equal(true);
    }
    const changed = { ...p, files: p.files.map((f) => (f.path === 'lib/limit.ts' ? { ...f, base64: Buffer.from('export const limit = 3;\n').toString('base64') } : f)) };
    expect(() => unpackScanner(changed, path.join(dir, 'out2'))).to.throw(/do not make the scanner hash/);
    const escaping = { ...p, files: [...p.files, { path: '../evil.ts', base64: '' }] };
    expect(() => unpackScanner(escaping, path.join(dir, 'out3'))).to.throw(/outside the scanner's folder/);
    expect(fs.existsSync(path.join(dir, 'evil.ts'))).to.equal(false);
  });

  it('changes the hash when a helper changes', () => {
    const before = packScanner(path.join(dir, 'proj', 'scanners', 'rise.ts')).sha256;
    fs.writeFileSync(path.join(dir, 'proj', 'lib', 'limit.ts'), 'export const limit = 3;\n');
    expect(packScanner(path.join(dir, 'proj', 'scanners', 'rise.ts')).sha256).not.to.equal(before);
  });
});
