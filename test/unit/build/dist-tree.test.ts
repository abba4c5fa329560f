/**
 * The compiled tree mirrors the sources: barwise finds its own modules (workers, the naive runner, the loader
 * hooks of legacy scripts) by the same relative path in src/ and dist/, changing only the extension
 * (src/package-paths.ts). `npm test` builds dist/ before running this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../../helpers/temp.js';

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('the compiled tree (dist/)', () => {
  const sources = ['src', 'workers'].flatMap((d) => listFiles(path.join(ROOT, d)));

  it('holds a .js and a .d.ts for every TypeScript source, at the same relative path', () => {
    const missing = sources.filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [f.replace(/\.ts$/, '.js'), f.replace(/\.ts$/, '.d.ts')])
      .filter((f) => !fs.existsSync(path.join(ROOT, 'dist', f)));
    expect(missing, 'run `npm run build`').to.deep.equal([]);
  });

  it('holds every JavaScript asset of the sources byte for byte (tsc does not copy them)', () => {
    const assets = sources.filter((f) => /\.(mjs|cjs|js|json)$/.test(f));
    expect(assets).to.include('src/scanners/script/resolve-from-barwise.mjs');
    for (const f of assets) expect(fs.readFileSync(path.join(ROOT, 'dist', f)).equals(fs.readFileSync(path.join(ROOT, f))), f).to.equal(true);
  });

  it('holds no module whose source is gone (the bundle aside: built from the tree itself)', () => {
    const stale = listFiles(path.join(ROOT, 'dist'))
      .map((f) => path.relative('dist', f))
      .filter((f) => !f.startsWith(`bundle${path.sep}`))
      .filter((f) => !fs.existsSync(path.join(ROOT, f.replace(/\.d\.ts$/, '.ts').replace(/\.js$/, '.ts'))) && !fs.existsSync(path.join(ROOT, f)));
    expect(stale, 'run `npm run build`').to.deep.equal([]);
  });
});
