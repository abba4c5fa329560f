/**
 * The engine as users run it: compiled (dist/, its workers compiled too), not the TypeScript sources, which
 * each backtest's workers would compile again at start (tsx), a cost the 16 separate runs would pay 16 times
 * and the sweep once. (Under the bench's own `--import tsx` the compiled modules still pass through tsx's
 * loader; the trade-rules sweep alone from plain node measured the same: 14.7 and 14.4 s wall, against 14.8
 * and 13.4 s.) Refuses a dist/ older than the newest source file: `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export async function loadCompiledEngine(): Promise<typeof import('../../src/index.js')> {
  const entry = path.join(ROOT, 'dist', 'src', 'index.js');
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'workers')));
  if (built < sources) throw new Error(`dist/ is missing or older than src/: run \`npm run build\` first (this bench measures the compiled engine)`);
  return (await import(entry)) as typeof import('../../src/index.js');
}
