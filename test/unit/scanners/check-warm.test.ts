/**
 * Which run-once scripts can run warm: decided from the script and everything it imports, before the run.
 * Each refusal names the reason and the file; everything else (local imports, better-sqlite3, node's own
 * modules, CommonJS packages, a top-level await in the script file itself) runs warm.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkWarmScript } from '../../../src/scanners/script/check-warm.js';
import { useTempDir } from '../../helpers/temp.js';

describe('scanners: which scripts can run warm', function () {
  const tmp = useTempDir();
  const write = (rel: string, text: string) => {
    const file = path.join(tmp(), rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  const rel = (file: string) => path.relative(process.cwd(), file);

  it('runs warm: local imports, better-sqlite3, node modules, a CommonJS package, top-level await in the script itself', () => {
    write('node_modules/plain-cjs/package.json', JSON.stringify({ name: 'plain-cjs', main: 'index.js' }));
    write('node_modules/plain-cjs/index.js', 'module.exports = 1;\n');
    write('lib/helper.ts', 'import fs from "node:fs";\nexport const exists = fs.existsSync;\n');
    const script = write('ok.ts', 'import Database from "better-sqlite3";\nimport x from "plain-cjs";\nimport { exists } from "./lib/helper.js";\n'
      + 'await Promise.resolve();\nconsole.log(JSON.stringify([]), Database, x, exists);\n');
    expect(checkWarmScript(script)).to.deep.equal({ ok: true });
  });

  it('refuses, naming the file: processes, stdin, a native addon, an ESM-only package, a module that awaits at top level', () => {
    write('node_modules/native-thing/package.json', JSON.stringify({ name: 'native-thing', main: 'index.js', gypfile: true }));
    write('node_modules/esm-only/package.json', JSON.stringify({ name: 'esm-only', type: 'module', exports: { import: './index.js' } }));
    const helper = write('deep/spawner.ts', 'import { spawnSync } from "child_process";\nexport const run = () => spawnSync("true");\n');
    const awaiting = write('deep/awaiting.mjs', 'export const v = await Promise.resolve(1);\n');
    const cases: [string, string][] = [
      ['import { run } from "./deep/spawner";\nrun();\n', `it starts processes (${rel(helper)} imports child_process)`],
      ['process.stdin.on("data", () => {});\n', 'it reads stdin (FILE)'],
      ['const input = require("fs").readFileSync(0, "utf8");\n', 'it reads stdin (FILE)'],
      ['import n from "native-thing";\nconsole.log(n);\n', 'it imports native-thing, a native addon'],
      ['const addon = require("./build/Release/thing.node");\n', 'it loads a native addon (FILE)'],
      ['import e from "esm-only";\nconsole.log(e);\n', 'it imports esm-only, an ESM-only package'],
      ['import { v } from "./deep/awaiting.mjs";\nconsole.log(v);\n', `a module it imports awaits at top level (${rel(awaiting)})`],
    ];
    cases.forEach(([source, reason], i) => {
      const script = write(`refused-${i}.ts`, source);
      expect(checkWarmScript(script), source).to.deep.equal({ ok: false, reason: reason.replace('FILE', rel(script)) });
    });
  });

  it('a script whose source does not parse runs as a process per step, which reports the error as node does', () => {
    const script = write('broken.ts', 'const x = {;\n');
    const check = checkWarmScript(script);
    expect(check.ok).to.equal(false);
    expect(check.ok === false && check.reason).to.contain(`its source could not be read (${rel(script)}:1: `);
  });

  it('a plain Python script runs warm, one that starts processes does not (with the reason); a shell script never runs warm and needs no notice', () => {
    expect(checkWarmScript(write('s.py', 'print("[]")\n'))).to.deep.equal({ ok: true });
    const spawns = checkWarmScript(write('p.py', 'import subprocess\nprint("[]")\n'));
    expect(spawns.ok).to.equal(false);
    expect(spawns.ok === false && spawns.reason).to.match(/starts other processes \(import subprocess at p\.py:1\)/);
    expect(checkWarmScript(write('s.sh', 'echo "[]"\n'))).to.deep.equal({ ok: false, reason: 'only JavaScript, TypeScript and Python scripts can run warm', expected: true });
  });
});
