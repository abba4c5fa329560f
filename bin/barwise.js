#!/usr/bin/env node
// barwise runs compiled: dist/ is built from the TypeScript sources by `npm run build` (run by `npm ci`,
// `npm pack` and `npm test`), its modules bundled into dist/bundle/ (scripts/bundle-dist.mjs). No TypeScript
// is compiled at start-up.
import fs from 'node:fs';

const main = new URL('../dist/bundle/main.js', import.meta.url);
if (!fs.existsSync(main)) {
  process.stderr.write('barwise: dist/ is not built (barwise runs from compiled JavaScript).\n'
    + '  Run `npm run build` (or `npm ci`, which builds it) in the barwise directory, then try again.\n');
  process.exit(1);
}
await import(main.href);
