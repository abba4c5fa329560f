// Bundles barwise's own compiled modules (dist/src, dist/workers) into dist/bundle/: the CLI (main.js) and the
// scan worker (scan-worker.js), split into shared chunks so that a command's modules still load only when
// that command runs (main.ts imports each command lazily). Start-up is mostly module loading: a 1-ticker x
// 1-day backtest resolves, reads and compiles ~150 of barwise's files on the main thread and ~30 per pool
// thread; a few dozen chunks cost measurably less CPU (bench: `npm run bench -- --only startup`).
// npm packages stay external: they load from node_modules as before (better-sqlite3's native addon,
// piscina's own worker file, the queue's bullmq/ioredis only for --queue).
// Each bundled module keeps its own location: `import.meta.url` becomes the URL of its file in the tsc tree,
// so package-paths.ts, createRequire and the `new URL('./x', import.meta.url)` assets resolve as unbundled.
// dist/workers/scan-worker.js, the file the pool starts threads on, is replaced by a re-export of the bundled
// worker; the rest of the tsc tree is kept as emitted (the library's exports, the child-process runners).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export async function bundleDist(root) {
  const dist = path.join(root, 'dist');
  const outdir = path.join(dist, 'bundle');
  // esbuild is a devDependency at tsx's own range, so the build and tsx share one installed copy.
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild');
  const ownLocation = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        let contents = await fs.promises.readFile(args.path, 'utf8');
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        if (contents.includes('import.meta.url')) contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        return { contents, loader: 'js' };
      });
    },
  };
  const built = await esbuild.build({
    entryPoints: { main: path.join(dist, 'src/cli/main.js'), 'scan-worker': path.join(dist, 'workers/scan-worker.js') },
    outdir, chunkNames: '[name]-[hash]', bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', plugins: [ownLocation], logLevel: 'silent',
  }).catch((err) => err);
  if (built instanceof Error) {
    process.stderr.write(`build: bundling dist/ failed: ${built.message}\n  dist/ is incomplete; fix the error and run \`npm run build\` again.\n`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(dist, 'workers/scan-worker.js'),
    "// The scan worker, bundled with the modules it imports (scripts/bundle-dist.mjs).\nexport { default } from '../bundle/scan-worker.js';\n");
}
