/**
 * Fault catalogue, warm scripts: a run-once script re-run in one runner per worker fails exactly where a
 * process per step would, through the real CLI, and leaves nothing behind (no runner, nothing it started, no
 * temp file): a step that never returns, Ctrl-C mid-step, a script that kills its own process, one that exits
 * with a timer still running, one that never closes its connections; scripts that cannot run warm say why.
 * docs/reliability.md (## Warm scripts) lists every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createChildTable, ChildRegistry } from '../../src/runtime/child-registry.js';
import { scriptEnv } from '../../src/scanners/script/script-env.js';
import { createWarmNodeScript } from '../../src/scanners/script/warm-node-script.js';
import { writeSnapshotDb } from '../../src/day-db/file-day-db.js';
import { ROOT } from '../helpers/temp.js';
import { expectClean, runFault, storeDays, useFaultStore } from './harness.js';

const warmFixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners/warm', f);
const DATES = ['2025-10-31', '2025-11-03'];

describe('faults: warm scripts', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB', 'CCC'], DATES, 10));
  const bt = (...args: string[]) => store.backtest(['--warmup', '6', '--signals', 'all', '--threads', '2', ...args]);
  const failuresOf = (json: { failures: { ticker: string; date: string; code: string }[] }) => json.failures.map((f) => `${f.ticker} ${f.date} ${f.code}`).sort();

  it('a step that never returns: killed at the step timeout, the other tickers run on, nothing left behind (exit 1)', async () => {
    const r = await bt('--scanner', warmFixture('hangs-on-bbb.ts'), '--step-timeout', '1.5');
    expect(r.code).to.equal(1);
    expect(r.json.run.warm).to.equal(true);
    expect(failuresOf(r.json)).to.deep.equal(['BBB 2025-10-31 SCANNER_TIMEOUT', 'BBB 2025-11-03 SCANNER_TIMEOUT']);
    expect(r.json.failures[0].message).to.match(/script hangs-on-bbb\.ts did not finish within 1\.5 s and was killed/);
    expect(new Set(r.json.signals.map((s: { ticker: string }) => s.ticker))).to.deep.equal(new Set(['AAA', 'CCC']));
    expectClean(r);
  });

  it('Ctrl-C while a warm step hangs: the run stops, finished days are kept, the runner is gone (exit 130)', async () => {
    const results = store.file('ctrl-c.db');
    const mark = store.file('hanging.txt');
    // Interrupted once the step has started to hang (the script says so in HANG_MARK), not after a fixed wait.
    const r = await runFault(store.file('tmp'), ['backtest', '--db', store.db, '--results-db', results, '--warmup', '6', '--threads', '1',
      '--scanner', warmFixture('hangs-on-bbb.ts'), '--step-timeout', '60', '--tickers', 'AAA,BBB', '--to', '2025-10-31'],
    { env: { HANG_MARK: mark }, kill: { signal: 'SIGINT', until: () => fs.existsSync(mark) } });
    expect(fs.readFileSync(mark, 'utf8'), 'the step that hung').to.equal('BBB 7\n');
    expect(r.code).to.equal(130);
    expect(r.stderr).to.match(/interrupted; run id 1/);
    expectClean(r);
  });

  it('a script that kills its own process: that step fails as a process would, the next ticker-days get a fresh runner (exit 1)', async () => {
    // BBB and the ticker after it: no AAA, whose process per step would show nothing more.
    const warm = await bt('--scanner', warmFixture('kills-itself-on-bbb.ts'), '--tickers', 'BBB,CCC');
    const perStep = await bt('--scanner', warmFixture('kills-itself-on-bbb.ts'), '--tickers', 'BBB,CCC', '--no-warm');
    expect(warm.code).to.equal(1);
    expect(failuresOf(warm.json)).to.deep.equal(['BBB 2025-10-31 SCANNER_THREW', 'BBB 2025-11-03 SCANNER_THREW']);
    expect(warm.json.failures[0].message).to.match(/^script kills-itself-on-bbb\.ts exited with signal SIGKILL/);
    expect(failuresOf(warm.json)).to.deep.equal(failuresOf(perStep.json));
    expect(warm.json.failures.map((f: { message: string }) => f.message)).to.deep.equal(perStep.json.failures.map((f: { message: string }) => f.message));
    expect(JSON.stringify(warm.json.signals)).to.equal(JSON.stringify(perStep.json.signals));
    expectClean(warm);
    expectClean(perStep);
  });

  it('a script that exits with a timer still running: the timer does not live on into later steps (exit 0)', async () => {
    // Two tickers, eight warm steps each in one runner: time enough for a timer left alive to print into a step.
    const warm = await bt('--scanner', warmFixture('exits-with-timer.ts'), '--tickers', 'AAA,CCC');
    const perStep = await bt('--scanner', warmFixture('exits-with-timer.ts'), '--tickers', 'AAA,CCC', '--no-warm');
    expect(warm.code, warm.stderr).to.equal(0);
    expect(warm.json.run.warm).to.equal(true);
    expect(warm.json.signals.length).to.be.greaterThan(3);
    expect(warm.json.signals.filter((s: { ticker: string }) => s.ticker !== 'AAA' && s.ticker !== 'BBB' && s.ticker !== 'CCC')).to.deep.equal([]);
    expect(JSON.stringify(warm.json.signals)).to.equal(JSON.stringify(perStep.json.signals));
    expectClean(warm);
  });

  it('a script that never closes its connections: the runner closes them, its open files do not grow with the steps', async () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(store.db), 'never-closes-'));
    const file = path.join(dir, 'day.db');
    const bars = store.bars.filter((b) => b.ticker === 'AAA').slice(0, 10).map((b) => ({ ...b, time_of_day: '' }));
    writeSnapshotDb(file, bars as never, bars.length - 1, '5min');
    const table = createChildTable(1);
    const warm = createWarmNodeScript(warmFixture('never-closes.ts'), { label: 'script never-closes.ts', registry: new ChildRegistry(table) });
    try {
      const env = { ...scriptEnv(file, 'AAA', '2025-10-31', { timestamp: bars[9].timestamp, time_of_day: '10:15:00' } as never) };
      const openFiles = () => fs.readdirSync(`/proc/${new Int32Array(table).find((p) => p > 0)}/fd`).length;
      for (let i = 0; i < 3; i++) await warm.run(env, 20_000);
      const after3 = openFiles();
      for (let i = 0; i < 30; i++) await warm.run(env, 20_000);
      // 90 connections were opened since: each would hold the database file open had the runner not closed it.
      expect(openFiles()).to.equal(after3);
    } finally {
      warm.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a project script importing through a tsconfig paths alias, run from its project: resolved as tsx resolves it (exit 0)', async () => {
    const project = fs.mkdtempSync(path.join(path.dirname(store.db), 'project-'));
    fs.mkdirSync(path.join(project, 'src', 'database'), { recursive: true });
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }));
    fs.writeFileSync(path.join(project, 'src', 'database', 'db.ts'),
      "import Database from 'better-sqlite3';\nexport const openDb = () => new Database(process.env.DATABASE_PATH!, { readonly: true });\n");
    const script = path.join(project, 'scan.ts');
    fs.writeFileSync(script, "import { openDb } from '@/database/db';\nconst t = process.env.SCAN_TICKERS!;\n"
      + "const rows = openDb().prepare('SELECT close FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp').all(t) as { close: number }[];\n"
      + "console.log(JSON.stringify(rows[rows.length - 1].close > rows[0].close ? [{ ticker: t, direction: 'LONG' }] : []));\n");
    const run = (flag: string, n: number) => runFault(store.file('tmp'), ['backtest', '--db', store.db, '--results-db', ':memory:', '--out', path.join(project, `out-${n}.json`),
      '--scanner', script, '--scanner-kind', 'script', '--warmup', '6', '--signals', 'all', '--tickers', 'BBB', flag], { cwd: project });
    const warm = await run('--warm', 1);
    const perStep = await run('--no-warm', 2);
    expect(warm.code, warm.stderr).to.equal(0);
    expect(perStep.code, perStep.stderr).to.equal(0);
    const signalsOf = (n: number) => JSON.parse(fs.readFileSync(path.join(project, `out-${n}.json`), 'utf8')).signals;
    expect(signalsOf(1).length).to.be.greaterThan(3);
    expect(signalsOf(1)).to.deep.equal(signalsOf(2));
    expectClean(warm);
  });

  it('--warm where it cannot apply (a persistent script, --mode naive): a usage error naming why (exit 2)', async () => {
    const persistent = await bt('--scanner', path.join(ROOT, 'scanners/legacy/persistent-momentum.ts'), '--warm');
    expect(persistent.code).to.equal(2);
    expect(persistent.stderr).to.contain('--warm does not apply to a persistent script: it is already started once per worker');
    expectClean(persistent);
    const naive = await bt('--scanner', warmFixture('fresh-state.ts'), '--warm', '--mode', 'naive');
    expect(naive.code).to.equal(2);
    expect(naive.stderr).to.contain('--warm does not apply to --mode naive, which starts a process per step on purpose');
    expectClean(naive);
  });

  const CANNOT: [string, string][] = [
    ['spawns.ts', 'it starts processes (test/fixtures/scanners/warm/spawns.ts imports node:child_process)'],
    ['reads-stdin.ts', 'it reads stdin (test/fixtures/scanners/warm/reads-stdin.ts)'],
    ['imports-awaiting.mjs', 'a module it imports awaits at top level (test/fixtures/scanners/warm/awaits-when-imported.mjs)'],
  ];
  for (const [script, reason] of CANNOT) {
    it(`cannot run warm (${reason.split(' (')[0]}): auto says so in one line and runs a process per step; --warm refuses (exit 0, 2)`, async () => {
      const auto = await bt('--scanner', warmFixture(script), '--tickers', 'BBB', '--to', '2025-10-31');
      expect(auto.code).to.equal(0);
      expect(auto.stderr).to.contain(`barwise: ${script} runs as a process per step, not warm: ${reason}\n`);
      expect(auto.json.run.warm).to.equal(false);
      expect(auto.json.failures).to.deep.equal([]);
      expect(auto.json.signals.length).to.be.greaterThan(0);
      expectClean(auto);
      const forced = await bt('--scanner', warmFixture(script), '--warm');
      expect(forced.code).to.equal(2);
      expect(forced.stderr).to.contain(`--warm was given, but ${script} cannot run warm: ${reason}`);
      expect(forced.stderr).to.contain('Drop --warm: the script then runs as a process per step.');
      expectClean(forced);
    });
  }
});
