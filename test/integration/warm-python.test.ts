/**
 * Warm Python scripts (src/scanners/script/warm-python.ts): one long-lived python3 re-running a run-once
 * script per step must give, step by step, exactly what a process per step (runScriptOnce) gives on the same
 * day database and environment, and what the script computes by hand from the bars it may see.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { FileDayDb } from '../../src/day-db/file-day-db.js';
import { ChildRegistry, createChildTable } from '../../src/runtime/child-registry.js';
import { checkWarmPython, RUNNER_MODULES } from '../../src/scanners/script/check-warm-python.js';
import { runScriptOnce } from '../../src/scanners/script/run-script-once.js';
import { scriptCommand } from '../../src/scanners/script/script-command.js';
import { scriptEnv } from '../../src/scanners/script/script-env.js';
import { createWarmPythonScript, WARM_RUNNER_PATH } from '../../src/scanners/script/warm-python.js';
import type { WarmScript } from '../../src/scanners/script/warm-script.js';
import type { Bar } from '../../src/types.js';
import { ROOT, useTempDir } from '../helpers/temp.js';
import { HAS_PYTHON, makeDayBars, listTrackedPids, waitUntilGone } from '../helpers/warm-python.js';

const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners/warm-python', f);

type Outcome = { signals: unknown[] } | { code: string; message: string };

const outcome = (p: Promise<unknown[]>): Promise<Outcome> =>
  p.then((signals) => ({ signals }), (err: { code: string; message: string }) => ({ code: err.code, message: err.message }));

describe('warm Python scripts', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const date = '2025-11-03';
  let db: FileDayDb;
  let table: SharedArrayBuffer;
  let registry: ChildRegistry;
  const open: WarmScript[] = [];

  before(function () {
    if (!HAS_PYTHON) this.skip();
  });
  beforeEach(() => {
    db = new FileDayDb(tmp());
    table = createChildTable(1);
    registry = new ChildRegistry(table);
  });
  afterEach(() => {
    for (const w of open.splice(0)) w.stop();
    db.close();
  });

  const warm = (file: string) => {
    const w = createWarmPythonScript(file, { label: `script ${path.basename(file)}`, registry });
    open.push(w);
    return w;
  };

  /** Each step of the day, run warm and as a process, with the same environment on the same file. */
  async function compareDay(file: string, bars: Bar[], o: { timeoutMs?: number; w?: WarmScript } = {}): Promise<Outcome[]> {
    const w = o.w ?? warm(file);
    const timeoutMs = o.timeoutMs ?? 20_000;
    const label = `script ${path.basename(file)}`;
    db.beginDay(bars[0].ticker, date, bars, '5min');
    const out: Outcome[] = [];
    for (let i = 0; i < bars.length; i++) {
      db.syncTo(i);
      const env = scriptEnv(db.path, bars[0].ticker, date, bars[i]);
      const warmOutcome = await outcome(w.run(env, timeoutMs));
      const onceOutcome = await outcome(runScriptOnce(scriptCommand(file), { env, timeoutMs, label }));
      expect(codeOf(warmOutcome), `step ${i}`).to.equal(codeOf(onceOutcome));
      if ('signals' in onceOutcome) expect(warmOutcome, `step ${i}`).to.deep.equal(onceOutcome);
      out.push(warmOutcome);
    }
    return out;
  }
  const codeOf = (o: Outcome) => ('code' in o ? o.code : 'ok');

  it('runs module-level state afresh every step: in the script, in a local module, in os.environ', async () => {
    const bars = makeDayBars(date, 'AAA', 8);
    const out = await compareDay(fixture('module-state.py'), bars);
    expect(out).to.deep.equal(bars.map((b, i) => ({
      signals: [{
        ticker: 'AAA', direction: 'LONG',
        metrics: { calls: 1, module_seen: 1, same_module: true, leftover: null, bars: i + 1, time: b.time_of_day },
      }],
    })));
    expect(listTrackedPids(table), 'one runner served every step').to.have.length(1);
  });

  it('takes sys.exit(0) after printing as the step done, and another exit code as a failure', async () => {
    const bars = makeDayBars(date, 'BBB', 12);
    const out = await compareDay(fixture('exits-after-print.py'), bars);
    out.forEach((o, i) => {
      if (bars[i].close >= bars[i].open) expect(o, `step ${i}`).to.deep.equal({ signals: [{ ticker: 'BBB', direction: 'LONG', metrics: { close: bars[i].close } }] });
      else expect(o, `step ${i}`).to.deep.equal({ code: 'SCANNER_THREW', message: 'script exits-after-print.py exited with code 3; last stderr lines:\nfalling bar' });
    });
    expect(new Set(out.map(codeOf)), 'the day should hold rising and falling bars').to.have.length(2);
  });

  it('skips logs on stderr, through logging and on stdout before the JSON', async () => {
    const bars = makeDayBars(date, 'CCC', 6);
    const out = await compareDay(fixture('logs-first.py'), bars);
    expect(out).to.deep.equal(bars.map((_, i) => ({
      signals: [{ ticker: 'CCC', direction: 'LONG', metrics: { high: Math.max(...bars.slice(0, i + 1).map((b) => b.high)) } }],
    })));
  });

  it('reports an exception with its first line and the frame in the script, and serves the next step', async () => {
    const file = fixture('raises.py');
    const w = warm(file);
    const out = await compareDay(file, makeDayBars(date, 'DDD', 5), { w });
    expect(out.slice(0, 3)).to.deep.equal([1, 2, 3].map((n) => ({ signals: [{ ticker: 'DDD', direction: 'LONG', metrics: { n } }] })));
    expect(out[3]).to.include({ code: 'SCANNER_THREW' });
    const message = (out[3] as { message: string }).message;
    expect(message).to.match(/^script raises\.py raised ValueError: too many bars: 4\n {2}File ".*raises\.py", line 7, in check\n {4}raise ValueError/);
    const runner = listTrackedPids(table);
    // A new day with one bar: the same runner, still alive after two exceptions, answers it.
    expect(await compareDay(file, makeDayBars('2025-11-03', 'EEE', 1), { w })).to.deep.equal([{ signals: [{ ticker: 'EEE', direction: 'LONG', metrics: { n: 1 } }] }]);
    expect(listTrackedPids(table)).to.deep.equal(runner);
  });

  it('kills a step that never returns at the step timeout, leaves nothing behind, and runs the next step', async () => {
    const bars = makeDayBars(date, 'FFF', 6);
    const file = fixture('never-returns.py');
    const w = warm(file);
    db.beginDay('FFF', date, bars, '5min');
    const pids: number[] = [];
    const out: Outcome[] = [];
    for (let i = 0; i < bars.length; i++) {
      db.syncTo(i);
      const env = scriptEnv(db.path, 'FFF', date, bars[i]);
      if (i === 3) {
        const once = await outcome(runScriptOnce(scriptCommand(file), { env, timeoutMs: 1500, label: 'script never-returns.py' }));
        expect(once).to.include({ code: 'SCANNER_TIMEOUT' });
      }
      out.push(await outcome(w.run(env, 1500)));
      pids.push(...listTrackedPids(table));
    }
    expect(out[3]).to.deep.equal({ code: 'SCANNER_TIMEOUT', message: 'script never-returns.py did not finish within 1.5 s and was killed' });
    expect(out.filter((_, i) => i !== 3)).to.deep.equal([1, 2, 3, 5, 6].map((n) => ({ signals: [{ ticker: 'FFF', direction: 'LONG', metrics: { n } }] })));
    const [first, second] = [...new Set(pids)];
    expect(second, 'a fresh runner after the timeout').to.be.a('number').and.not.equal(first);
    expect(await waitUntilGone(first), `the timed-out runner ${first} is gone`).to.equal(true);
    w.stop();
    expect(listTrackedPids(table)).to.deep.equal([]);
    expect(await waitUntilGone(second), 'stop() ends the runner').to.equal(true);
  });

  it('closes what a step left open: 200 steps with sqlite3 connections and a file left open, no fd growth', async () => {
    const file = fixture('leaves-db-open.py');
    const w = warm(file);
    const days = ['AAA', 'BBB', 'CCC'].map((t) => makeDayBars(date, t, 70));
    let steps = 0;
    let fdsAt10 = 0;
    let fds = 0;
    let runner = 0;
    for (const bars of days) {
      db.beginDay(bars[0].ticker, date, bars, '5min');
      for (let i = 0; i < bars.length && steps < 200; i++, steps++) {
        db.syncTo(i);
        const env = scriptEnv(db.path, bars[0].ticker, date, bars[i]);
        const got = await w.run(env, 20_000);
        const rising = i >= 1 && bars[i].close > bars[i - 1].close;
        expect(got, `step ${steps}`).to.deep.equal(rising ? [{ ticker: bars[0].ticker, direction: 'LONG', metrics: { bars: i + 1 } }] : []);
        if (steps % 40 === 0) {
          expect(await runScriptOnce(scriptCommand(file), { env, timeoutMs: 20_000, label: 'script leaves-db-open.py' })).to.deep.equal(got);
        }
        [runner] = listTrackedPids(table);
        fds = fs.readdirSync(`/proc/${runner}/fd`).length;
        if (steps === 10) fdsAt10 = fds;
      }
    }
    expect(steps).to.equal(200);
    expect(listTrackedPids(table), 'one runner served every step').to.deep.equal([runner]);
    expect(fds, `open fds of the runner after 200 steps (${fds}) vs after 10 (${fdsAt10})`).to.equal(fdsAt10);
  });

  describe('checkWarmPython', () => {
    const write = (rel: string, text: string) => {
      const file = path.join(tmp(), 'check', rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    };

    it('lets the run-once fixtures run warm', () => {
      for (const f of ['module-state.py', 'exits-after-print.py', 'logs-first.py', 'raises.py', 'never-returns.py', 'leaves-db-open.py']) {
        expect(checkWarmPython(fixture(f)), f).to.deep.equal({ ok: true });
      }
    });

    it('says why a script must run a process per step, naming the line, also in a local module it imports', () => {
      const cases: [string, string, RegExp][] = [
        ['spawns/a.py', 'import json, subprocess\nsubprocess.run(["true"])\n', /^it starts other processes \(import subprocess at a\.py:1\)$/],
        ['shell/a.py', 'import os\n# os.system("ls") in a comment does not count\nos.system("true")\n', /^it starts other processes \(os\.system at a\.py:3\)$/],
        ['stdin/a.py', 'import sys\ndata = sys.stdin.read()\n', /^it reads stdin \(sys\.stdin at a\.py:2\)$/],
        ['ask/a.py', 'name = input("ticker? ")\n', /^it reads stdin \(input at a\.py:1\)$/],
        ['pool/a.py', 'from concurrent.futures import ThreadPoolExecutor\n', /^it uses multiprocessing or an executor pool \(import concurrent\.futures at a\.py:1\)$/],
        ['threads/a.py', 'import threading\n', /^it starts threads, which could outlive a step/],
        ['alarm/a.py', 'import signal\nsignal.alarm(5)\n', /^it installs signal handlers or alarms/],
        ['hard-exit/a.py', 'import os\nos._exit(0)\n', /^it ends the interpreter with os\._exit \(os\._exit at a\.py:2\)$/],
        ['via-local/a.py', 'from lib import tools\n', /^it uses multiprocessing or an executor pool \(import multiprocessing at lib\/tools\.py:2\)$/],
        ['raw-stdout/a.py', 'import os\nos.write(1, b"[]\\n")\n', /^it writes to file descriptor 1 directly \(os\.write at a\.py:2\)$/],
        ['shadow/a.py', 'import json\n', /^its directory holds json\.py, which shadows a module the warm runner itself uses$/],
      ];
      write('via-local/lib/__init__.py', '');
      write('via-local/lib/tools.py', '# a helper the script imports\nimport multiprocessing\n');
      write('shadow/json.py', 'dumps = str\n');
      for (const [rel, text, why] of cases) {
        const r = checkWarmPython(write(rel, text));
        expect(r.ok, rel).to.equal(false);
        expect((r as { why: string }).why, rel).to.match(why);
      }
    });

    it('knows every module the runner loads (a local file of that name would shadow it)', () => {
      for (const flags of [[], ['-I', '-S']]) {
        const r = spawnSync('python3', [...flags, WARM_RUNNER_PATH, '--list-imports'], { encoding: 'utf8' });
        expect(r.status, r.stderr).to.equal(0);
        const loaded = JSON.parse(r.stdout) as string[];
        expect(loaded, 'the runner imports something').to.include('runpy');
        expect(RUNNER_MODULES).to.include.members(loaded);
      }
    });
  });
});
