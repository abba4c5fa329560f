// Builds dist/ from the TypeScript sources: a clean tsc emit of src/ and workers/ (tsconfig.build.json),
// plus the files tsc does not copy (the .mjs loader hooks legacy scripts are started with, the warm Python runner). Starts from an
// empty dist/ so a removed source never survives as a stale compiled module. Then bundles the CLI and the scan
// worker from that emit (bundle-dist.mjs): what `bin/barwise.js` and every pool thread load at start-up.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleDist } from './bundle-dist.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });

// typescript's exports map hides bin/, so its package.json locates it.
const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const built = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (built.status !== 0) {
  process.stderr.write('build: tsc failed (see above); dist/ is incomplete, fix the errors and run `npm run build` again.\n');
  process.exit(built.status ?? 1);
}

for (const dir of ['src', 'workers']) copyAssets(path.join(root, dir), path.join(dist, dir));
await bundleDist(root);

function copyAssets(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    if (entry.isDirectory()) copyAssets(src, path.join(to, entry.name));
    else if (/\.(mjs|cjs|js|json|py)$/.test(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, path.join(to, entry.name));
    }
  }
}
