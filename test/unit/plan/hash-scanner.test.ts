/**
 * A scanner's hash covers the local files it imports, transitively, in each language scanners are written in,
 * and only those: an unrelated file beside it, a package, or barwise itself do not count.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { hashScanner } from '../../../src/plan/hash-scanner.js';
import { ROOT, useTempDir } from '../../helpers/temp.js';

describe('plan: scanner hash with local imports', function () {
  const tmp = useTempDir();
  const write = (f: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp(), f)), { recursive: true });
    fs.writeFileSync(path.join(tmp(), f), text);
    return path.join(tmp(), f);
  };

  it('follows relative imports of a module scanner transitively (.js specifiers find .ts files), not packages or unrelated files', () => {
    const scanner = write('ts/scan.ts', "import { a } from './lib/a.js';\nimport fs from 'node:fs';\nimport 'yaml';\nexport default { scan() { return a; } };\n");
    write('ts/lib/a.ts', "export { b as a } from './b';\n");
    write('ts/lib/b.ts', 'export const b = 1;\n');
    write('ts/unrelated.ts', 'export const c = 2;\n');
    const before = hashScanner(scanner);
    expect(before.files).to.deep.equal(['lib/a.ts', 'lib/b.ts', 'scan.ts']);
    write('ts/unrelated.ts', 'export const c = 3;\n');
    expect(hashScanner(scanner).sha256).to.equal(before.sha256);
    write('ts/lib/b.ts', 'export const b = 2;\n');
    expect(hashScanner(scanner).sha256).to.not.equal(before.sha256);
  });

  it('follows sibling modules of a Python script and sourced files of a shell script', () => {
    const py = write('py/scan.py', 'import json, helper\nfrom pkg.util import x\nfrom . import other\n');
    write('py/helper.py', 'X = 1\n');
    write('py/pkg/util.py', 'x = 1\n');
    write('py/other.py', 'y = 1\n');
    expect(hashScanner(py).files).to.deep.equal(['helper.py', 'other.py', 'pkg/util.py', 'scan.py']);
    const sh = write('sh/scan.sh', '#!/bin/sh\n. ./env.sh\nsource ../common.sh\necho "[]"\n');
    write('sh/env.sh', 'A=1\n');
    write('common.sh', 'B=1\n');
    expect(hashScanner(sh).files).to.deep.equal(['../common.sh', 'env.sh', 'scan.sh']);
  });

  it('leaves barwise\'s own source out: the tool version covers it', () => {
    const example = path.join(ROOT, 'scanners/vwap-reclaim.ts');
    const files = hashScanner(example).files;
    expect(files).to.include('vwap-reclaim.ts');
    expect(files.some((f) => f.includes('src/'))).to.equal(false);
  });
});
