// Bundles barwise's own compiled modules (dist/src, dist/workers) into dist/bundle/: the CLI (main.js) and the
// scan worker (scan-worker.js), split into shared chunks so that a command's modules still load only when
// that command runs (main.ts imports each command lazily). Start-up is mostly module loading: a 1-ticker x
// 1-day backtest resolves, reads and compiles ~150 of barwise's files on the main thread and ~30 per pool
// thread; a few dozen chunks cost measurably less CPU (bench: `npm run bench -- --only startup`).
// npm packages stay external, loaded from node_modules at run time (better-sqlite3's native addon, piscina's own
// worker file, the queue's bullmq/ioredis only for --queue), but for the pure-JavaScript packages every command
// loads (INLINED): yargs alone is ~35 ES modules, each resolved, read and linked on its own by Node's loader, and
// inlined they cost about half as much CPU at start-up. string-width (under yargs' help and cliui) makes an
// Intl.Segmenter as it is imported, ICU's segmentation data loaded on every start for help text a run never
// renders: inlined, it makes it on first use (lazySegmenter).
// Each bundled module keeps its own location: `import.meta.url` becomes the URL of its file in the tsc tree,
// so package-paths.ts, createRequire and the `new URL('./x', import.meta.url)` assets resolve as unbundled.
// dist/workers/scan-worker.js, the file the pool starts threads on, is replaced by a re-export of the bundled
// worker; the rest of the tsc tree is kept as emitted (the library's exports, the child-process runners).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * Packages bundled into dist/bundle with everything they import (see above). Only yargs' shim needs its own
 * location (yargsShimLocation); the rest of their code finds nothing through import.meta.url but node's built-ins.
 */
const INLINED = new Set(['yargs', 'cli-table3']);

/** Every npm package external but those named and what they import. */
function externalExcept(inlined) {
  return {
    name: 'external-except',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        const fromInlined = args.importer.split(path.sep).includes('node_modules');
        return inlined.has(name) || fromInlined ? undefined : { external: true };
      });
    },
  };
}

/** string-width's module-level `new Intl.Segmenter()`, made on its first use instead (see above). */
const SEGMENTER = 'const segmenter = new Intl.Segmenter();';
const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const contents = await fs.promises.readFile(args.path, 'utf8');
      // string-width 4 (cli-table3's) has no segmenter; a later one that makes it otherwise is bundled as it is.
      if (!contents.includes(SEGMENTER)) return { contents, loader: 'js' };
      return { contents: contents.replace(SEGMENTER, 'let made; const segmenter = { segment: (s) => (made ??= new Intl.Segmenter()).segment(s) };'), loader: 'js' };
    });
  },
};

/**
 * yargs' platform shim finds its locales (messages in the user's language) and the project's package.json from
 * its own import.meta.url: inlined, that is the URL of the installed yargs package's shim, found at run time.
 */
const yargsShimLocation = {
  name: 'yargs-shim-location',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const contents = await fs.promises.readFile(args.path, 'utf8');
      const here = "new URL('lib/platform-shims/esm.mjs', shimPathToFileURL(shimCreateRequire(import.meta.url).resolve('yargs/package.json'))).href";
      return {
        contents: "import { createRequire as shimCreateRequire } from 'node:module';\n"
          + "import { pathToFileURL as shimPathToFileURL } from 'node:url';\n"
          + `const __barwiseYargsShimUrl = ${here};\n`
          + contents.replaceAll('import.meta.url', '__barwiseYargsShimUrl'),
        loader: 'js',
      };
    });
  },
};

export async function bundleDist(root) {
  const dist = path.join(root, 'dist');
  const outdir = path.join(dist, 'bundle');
  // esbuild is a devDependency at tsx's own range, so the build and tsx share one installed copy.
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
  const ownLocation = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        // An inlined package's own import.meta.url (yargs-parser's createRequire) is that of its chunk, inside
        // barwise: the path to node_modules at build time would not be the installed one.
        if (!args.path.startsWith(dist + path.sep) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        let contents = await fs.promises.readFile(args.path, 'utf8');
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        if (contents.includes('import.meta.url')) contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        return { contents, loader: 'js' };
      });
    },
  };
  const built = await esbuild.build({
    entryPoints: { main: path.join(dist, 'src/cli/main.js'), 'scan-worker': path.join(dist, 'workers/scan-worker.js') },
    outdir, chunkNames: '[name]-[hash]', bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20.19',
    // Node 20 has RegExp set notation (the v flag) and Unicode property escapes, which esbuild lowers: lowered, string-width's
    // patterns became `new RegExp` calls, built (ICU character classes) as the module loads instead of on first use.
    supported: { 'regexp-set-notation': true, 'regexp-unicode-property-escapes': true },
    plugins: [externalExcept(INLINED), lazySegmenter, yargsShimLocation, ownLocation], logLevel: 'silent',
    // CommonJS inlined (cli-table3) requires node's built-ins: `require` as that of a module in dist/bundle.
    banner: { js: "import { createRequire as __barwiseCreateRequire } from 'node:module'; const require = __barwiseCreateRequire(import.meta.url);" },
  }).catch((err) => err);
  if (built instanceof Error) {
    process.stderr.write(`build: bundling dist/ failed: ${built.message}\n  dist/ is incomplete; fix the error and run \`npm run build\` again.\n`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(dist, 'workers/scan-worker.js'),
    "// The scan worker, bundled with the modules it imports (scripts/bundle-dist.mjs).\nexport { default } from '../bundle/scan-worker.js';\n");
}
