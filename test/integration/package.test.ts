/**
 * barwise as users get it: `npm pack`, installed into an empty project with no dev dependencies, then used
 * through `npx barwise`, a plain `node` script and a `.ts` scanner. The installed package holds no TypeScript
 * source of barwise, and with tsx deleted from the install every JavaScript path still runs: nothing compiles
 * barwise's own code at run time, in the main thread or in workers.
 *
 * Slow the first time (npm fetches the dependencies; better-sqlite3's native binary is the clone's, see
 * provideSqliteBinary), so the installed dependencies are kept in .tmp/package-test-deps/, keyed by the packed
 * dependency list and the Node version, and later runs install with --prefer-offline on top of them.
 * BARWISE_SKIP_PACKAGE_TEST=1 skips this file locally; it always runs under CI=true.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { ROOT, runCli, type CliResult } from '../helpers/temp.js';

const SKIP = process.env.BARWISE_SKIP_PACKAGE_TEST === '1' && process.env.CI !== 'true';
const DEPS_CACHE = path.join(ROOT, '.tmp', 'package-test-deps');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectOk(r: CliResult, what: string): void {
  expect(r.code, `${what} failed:\n${r.stderr}\n${r.stdout}`).to.equal(0);
}

/** Gives the app's better-sqlite3 its native binary: the clone's when the versions match, else compiled. */
async function provideSqliteBinary(app: string): Promise<void> {
  const installed = path.join(app, 'node_modules', 'better-sqlite3');
  const clone = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const binary = path.join('build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(path.join(installed, binary))) return; // from the dependency cache
  const versionOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
  if (versionOf(installed) === versionOf(clone) && fs.existsSync(path.join(clone, binary))) {
    fs.mkdirSync(path.dirname(path.join(installed, binary)), { recursive: true });
    fs.copyFileSync(path.join(clone, binary), path.join(installed, binary));
  } else {
    expectOk(await run('npm', ['rebuild', 'better-sqlite3'], app), 'npm rebuild better-sqlite3');
  }
}

const readSignals = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')).signals as unknown[];

// A scanner written twice, as TypeScript and as JavaScript: a bar closing above every earlier close of the day.
const SCANNER_BODY = `
  name: 'day-high-close',
  warmupBars: 6,
  scan(ctx${'TYPE'}) {
    const earlier = ctx.bars.slice(0, ctx.index).map((b) => b.close);
    return ctx.bar.close > Math.max(...earlier) ? { direction: 'LONG', pattern_strength: ctx.bar.close } : null;
  },
`;

(SKIP ? describe.skip : describe)('the npm package, installed into an empty project', function () {
  this.timeout(20 * 60_000);
  let tmp = '';
  let app = '';
  let packed: string[] = [];
  const installed = () => path.join(app, 'node_modules', 'barwise');
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) => run('npx', ['--no-install', 'barwise', ...args], app, env);

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-package-'));
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    // --ignore-scripts: dist/ is built by `npm test` before any test file runs; rebuilding it here would
    // pull it from under test files running alongside. Built on demand when absent (one file run alone).
    if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) expectOk(await run('npm', ['run', 'build'], ROOT), 'npm run build');
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    expectOk(pack, 'npm pack');
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packed = info.files.map((f) => f.path);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));

    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const key = crypto.createHash('sha256').update(JSON.stringify([pkg.dependencies, process.version, process.platform, process.arch])).digest('hex').slice(0, 16);
    const cached = path.join(DEPS_CACHE, key);
    if (fs.existsSync(cached)) fs.cpSync(cached, path.join(app, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    // --ignore-scripts: the only install scripts are the dependencies' (barwise has none), and the costly one
    // is better-sqlite3 compiling SQLite from source (a minute or more of both cores). The native binary it
    // would build is the clone's, built from the same better-sqlite3 version for the same Node, so that is
    // copied in: everything barwise's package decides (files, bin, exports, dependency ranges) is still what
    // a user installs. Another version than the clone's is compiled as a user's install would.
    const install = await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', path.join(tmp, info.filename)], app);
    expectOk(install, 'npm install of the tarball');
    await provideSqliteBinary(app);
    if (!fs.existsSync(cached)) {
      // Written aside and renamed, so a concurrent or interrupted run never sees half a cache.
      const aside = `${cached}.${process.pid}.tmp`;
      fs.cpSync(path.join(app, 'node_modules'), aside, {
        recursive: true, verbatimSymlinks: true, filter: (src) => path.basename(src) !== 'barwise' && !src.includes(`${path.sep}.bin${path.sep}`),
      });
      fs.renameSync(aside, cached);
      // Only the current dependency set is worth keeping.
      for (const other of fs.readdirSync(DEPS_CACHE)) if (other !== key && !other.endsWith('.tmp')) fs.rmSync(path.join(DEPS_CACHE, other), { recursive: true, force: true });
    }

    // One ticker, the bundled AAPL month, as a user's own CSV.
    fs.writeFileSync(path.join(app, 'bars.csv'), zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'data', 'bundled', 'AAPL.csv.gz'))));
    fs.writeFileSync(path.join(app, 'scanner.ts'),
      `import { defineScanner, type ScanContext } from 'barwise/scanner';\nexport default defineScanner({${SCANNER_BODY.replace('TYPE', ': ScanContext')}});\n`);
    fs.writeFileSync(path.join(app, 'scanner.mjs'), `export default {${SCANNER_BODY.replace('TYPE', '')}};\n`);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('packs the compiled code, the CLI, the sample data and the examples, and no tests, bench, CI, fixtures or TypeScript source', () => {
    expect(packed).to.include.members(['package.json', 'bin/barwise.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/workers/scan-worker.js',
      'dist/src/scanners/script/resolve-from-barwise.mjs', 'dist/src/scanners/script/warm-runner.py', 'data/bundled/AAPL.csv.gz', 'scanners/volume-spike.sql']);
    expect(packed.filter((f) => /^(test|bench|\.ci|src|workers|docs|scripts)\//.test(f) || /fixtures/.test(f))).to.deep.equal([]);
    expect(packed.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.startsWith('scanners/'))).to.deep.equal([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed(), 'package.json'), 'utf8'));
    expect(manifest.private).to.equal(undefined);
    expect(manifest.exports['.'].default).to.equal('./dist/src/index.js');
  });

  it('imports a CSV and backtests it with `npx barwise`, finding the same signals as the clone', async () => {
    expectOk(await npx(['import', '--csv', 'bars.csv', '--db', 'market.db']), 'npx barwise import');
    const args = ['--db', 'market.db', '--threads', '2', '--signals', 'all'];
    expectOk(await npx(['backtest', ...args, '--scanner', path.join(installed(), 'scanners', 'volume-spike.sql'), '--out', 'sql.json']), 'npx barwise backtest');
    const clone = await runCli(['backtest', ...args, '--scanner', path.join(ROOT, 'scanners', 'volume-spike.sql'), '--out', 'clone.json',
      '--results-db', path.join(tmp, 'clone-results.db')], { cwd: app });
    expectOk(clone, 'the clone\'s barwise backtest');
    expect(readSignals(path.join(app, 'sql.json'))).to.have.length.above(0);
    expect(readSignals(path.join(app, 'sql.json'))).to.deep.equal(readSignals(path.join(app, 'clone.json')));
  });

  it('runs the bundled sample backtest from the installed package, building its database inside the package', async () => {
    const r = await npx(['backtest', '--threads', '2', '--tickers', 'AAPL,MSFT', '--out', 'bundled.json']);
    expectOk(r, 'npx barwise backtest (bundled data)');
    expect(fs.existsSync(path.join(installed(), 'data', 'market.db'))).to.equal(true);
    expect(readSignals(path.join(app, 'bundled.json'))).to.have.length.above(0);
  });

  it('builds the bundled database in the user\'s cache directory when the package is read-only', async function () {
    if (process.getuid?.() === 0) this.skip(); // root writes through any file mode: nothing to show
    const data = path.join(installed(), 'data');
    const cache = path.join(tmp, 'cache');
    fs.rmSync(path.join(data, 'market.db'), { force: true });
    fs.chmodSync(data, 0o555);
    try {
      expectOk(await npx(['backtest', '--threads', '1', '--tickers', 'AAPL', '--out', 'cached.json'], { XDG_CACHE_HOME: cache }), 'bundled backtest, read-only package');
    } finally {
      fs.chmodSync(data, 0o755);
    }
    const version = JSON.parse(fs.readFileSync(path.join(installed(), 'package.json'), 'utf8')).version;
    expect(fs.existsSync(path.join(cache, 'barwise', `market-${version}.db`))).to.equal(true);
    expect(fs.readdirSync(data).sort()).to.deep.equal(['bundled']);
  });

  it('serves a plain node script importing barwise: import, backtest and coded errors', async () => {
    fs.writeFileSync(path.join(app, 'library.mjs'), `
      import { importCsv, runBacktest, BarwiseError } from 'barwise';
      const report = await importCsv({ source: 'bars.csv', dbPath: 'library.db' });
      const result = await runBacktest({ db: 'library.db', scanner: 'node_modules/barwise/scanners/volume-spike.sql', threads: 1,
        signals: 'all', resultsDb: 'library-results.db' });
      let code = null;
      try { await runBacktest({ db: 'missing.db', scanner: 'scanner.mjs', resultsDb: 'library-results.db' }); }
      catch (err) { code = err instanceof BarwiseError ? err.code : 'not a BarwiseError: ' + err; }
      process.stdout.write(JSON.stringify({ imported: report.rowsImported, status: result.run.status, signals: result.signals.length, code }));
    `);
    const r = await run(process.execPath, ['library.mjs'], app);
    expectOk(r, 'node library.mjs');
    const out = JSON.parse(r.stdout);
    expect(out.imported).to.equal(fs.readFileSync(path.join(app, 'bars.csv'), 'utf8').trim().split('\n').length - 1);
    expect(out.status).to.equal('completed');
    expect(out.signals).to.equal(readSignals(path.join(app, 'sql.json')).length);
    expect(out.code).to.equal('DB_NOT_FOUND');
  });

  it('loads a .ts scanner importing barwise, with the same signals as its JavaScript twin', async () => {
    const args = ['backtest', '--db', 'market.db', '--threads', '2', '--signals', 'all'];
    expectOk(await npx([...args, '--scanner', 'scanner.ts', '--out', 'ts.json']), 'npx barwise backtest --scanner scanner.ts');
    expectOk(await npx([...args, '--scanner', 'scanner.mjs', '--out', 'mjs.json']), 'npx barwise backtest --scanner scanner.mjs');
    expect(readSignals(path.join(app, 'ts.json'))).to.have.length.above(0);
    expect(readSignals(path.join(app, 'ts.json'))).to.deep.equal(readSignals(path.join(app, 'mjs.json')));
  });

  it('declares every type of the exported signatures (a strict consumer typechecks without skipLibCheck)', async () => {
    fs.writeFileSync(path.join(app, 'consumer.ts'), `
      import { runBacktest, importCsv, loadBatchConfig, runBatch, defineScanner, BarwiseError } from 'barwise';
      import type { BacktestOptions, RunResult, ReadOnlyDb, BatchConfig, ImportOptions, ImportReport, ScanContext, TradeStats,
        AuditOptions, AuditResult, BatchSummary, ErrorCode } from 'barwise';
      import { defineScanner as defineLean, type ScanContext as LeanContext, type ReadOnlyDb as LeanDb } from 'barwise/scanner';
      const options: ImportOptions = { source: 'bars.csv', dbPath: 'x.db' };
      const report: Promise<ImportReport> = importCsv(options);
      const run: Promise<RunResult> = runBacktest({ scanner: 'scanner.mjs' } satisfies BacktestOptions);
      const config: BatchConfig = loadBatchConfig('batch.yaml');
      const batch: Promise<BatchSummary> = runBatch(config);
      const rows = (db: ReadOnlyDb): number => db.prepare('SELECT 1').columns().length;
      const scanner = defineScanner({ name: 'x', scan: (ctx: ScanContext) => (rows(ctx.db) > 0 ? null : null) });
      const stats = (r: RunResult): TradeStats | undefined => r.stats;
      const audit = (o: AuditOptions, a: AuditResult) => [o, a];
      const code: ErrorCode | null = new BarwiseError('USAGE', 'x').code;
      const lean = defineLean({ name: 'y', scan: (ctx: LeanContext) => { const db: LeanDb = ctx.db; return db.prepare('SELECT 1').get() ? null : null; } });
      export { report, run, batch, scanner, stats, audit, code, lean };
    `);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
      files: ['consumer.ts'],
    }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    expectOk(await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app), 'tsc on a consumer of the declarations');
  });

  it('still runs every JavaScript path with tsx removed from the install, and names tsx when a .ts scanner needs it', async () => {
    fs.rmSync(path.join(app, 'node_modules', 'tsx'), { recursive: true, force: true });
    const args = ['backtest', '--db', 'market.db', '--threads', '2', '--signals', 'all'];
    expectOk(await npx([...args, '--scanner', 'scanner.mjs', '--out', 'mjs-no-tsx.json']), 'a .mjs scanner without tsx');
    expect(readSignals(path.join(app, 'mjs-no-tsx.json'))).to.deep.equal(readSignals(path.join(app, 'mjs.json')));
    expectOk(await npx([...args, '--scanner', path.join(installed(), 'scanners', 'volume-spike.sql'), '--out', 'sql-no-tsx.json']), 'an SQL scanner without tsx');
    expect(readSignals(path.join(app, 'sql-no-tsx.json'))).to.deep.equal(readSignals(path.join(app, 'sql.json')));
    // A process per step for the last 12 bars of one day (warmup 66: from 15:00, where AAPL makes new highs
    // on 2025-10-27): the realtime run's signals there.
    expectOk(await npx([...args, '--scanner', 'scanner.mjs', '--mode', 'naive', '--from', '2025-10-27', '--to', '2025-10-27', '--warmup', '66', '--out', 'naive-no-tsx.json']), 'naive mode without tsx');
    const lastHour = (readSignals(path.join(app, 'mjs.json')) as { signal_date: string; signal_time: string }[])
      .filter((s) => s.signal_date === '2025-10-27' && s.signal_time >= '15:00:00');
    expect(lastHour.length, 'the scanner fires in that hour').to.be.above(0);
    expect(readSignals(path.join(app, 'naive-no-tsx.json'))).to.deep.equal(lastHour);
    const ts = await npx([...args, '--scanner', 'scanner.ts']);
    expect(ts.code).to.not.equal(0);
    expect(ts.stderr).to.match(/scanner\.ts is TypeScript, and tsx .* is not installed/);
  });
});
