/**
 * Fault cases of warm Python scripts (src/scanners/script/warm-python.ts): a step that leaves processes or
 * threads behind, changes process-wide state, prints too much, or whose runner is killed or cannot start.
 * Each gives what a process per step gives, and leaves no process behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FileDayDb } from '../../src/day-db/file-day-db.js';
import { ChildRegistry, createChildTable, RUN_TAG_VAR } from '../../src/runtime/child-registry.js';
import { runScriptOnce } from '../../src/scanners/script/run-script-once.js';
import { scriptCommand } from '../../src/scanners/script/script-command.js';
import { scriptEnv } from '../../src/scanners/script/script-env.js';
import { createWarmPythonScript } from '../../src/scanners/script/warm-python.js';
import type { WarmScript } from '../../src/scanners/script/warm-script.js';
import { useTempDir } from '../helpers/temp.js';
import { HAS_PYTHON, makeDayBars, listTrackedPids, waitUntilGone } from '../helpers/warm-python.js';
import { faultFixture } from './harness.js';

const fixture = (f: string) => faultFixture(`warm-python/${f}`);
const date = '2025-11-03';

/** Pids of live processes carrying the run tag: everything the runner or the script started. */
function listTaggedPids(tag: string): number[] {
  const needle = `${RUN_TAG_VAR}=${tag}\0`;
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      return fs.readFileSync(`/proc/${e}/environ`, 'latin1').includes(needle) && !/^\S+ \S+ Z/.test(fs.readFileSync(`/proc/${e}/stat`, 'latin1').replace(/\(.*\)/, 'x'));
    } catch {
      return false;
    }
  }).map(Number);
}

async function waitUntilUntagged(tag: string, ms = 3000): Promise<number[]> {
  let left = listTaggedPids(tag);
  for (const end = Date.now() + ms; left.length > 0 && Date.now() < end; left = listTaggedPids(tag)) await new Promise((r) => setTimeout(r, 20));
  return left;
}

describe('faults: warm Python scripts', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  let db: FileDayDb;
  let table: SharedArrayBuffer;
  let registry: ChildRegistry;
  let tag: string;
  let n = 0;
  const open: WarmScript[] = [];

  before(function () {
    if (!HAS_PYTHON) this.skip();
  });
  beforeEach(() => {
    db = new FileDayDb(tmp());
    table = createChildTable(1);
    tag = `warm-python-${process.pid}-${++n}`;
    registry = new ChildRegistry(table, tag);
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
  const envAt = (ticker: string, steps: number) => {
    const bars = makeDayBars(date, ticker, steps);
    db.beginDay(ticker, date, bars, '5min');
    return (i: number) => {
      db.syncTo(i);
      return scriptEnv(db.path, ticker, date, bars[i]);
    };
  };
  const once = (file: string, env: Record<string, string>, timeoutMs = 20_000) =>
    runScriptOnce(scriptCommand(file), { env, timeoutMs, registry, label: `script ${path.basename(file)}` });

  it('a step that leaves processes running (a child, an orphan in its group): same signals, both are killed, the next step gets a fresh runner', async () => {
    const file = fixture('leaves-a-process.py');
    const w = warm(file);
    const env = envAt('AAA', 2);
    for (const i of [0, 1]) {
      expect(await w.run(env(i), 20_000)).to.deep.equal(await once(file, env(i))).and.deep.equal([{ ticker: 'AAA', direction: 'LONG' }]);
      expect(listTrackedPids(table), 'the runner that started a process is gone').to.deep.equal([]);
      expect(await waitUntilUntagged(tag), 'no sleep left behind').to.deep.equal([]);
    }
  });

  it('a step whose threads outlive its main code: waits for the others as exit would, ends with the daemon ones', async () => {
    const file = fixture('leaves-threads.py');
    const w = warm(file);
    const env = envAt('BBB', 2);
    for (const i of [0, 1]) {
      expect(await w.run(env(i), 20_000)).to.deep.equal(await once(file, env(i))).and.deep.equal([{ ticker: 'BBB', direction: 'SHORT' }]);
      expect(await waitUntilUntagged(tag), 'the runner with the sleeping daemon thread is gone').to.deep.equal([]);
    }
  });

  it('a step that changes the working directory, sys.path, argv, warnings, logging, stdin and stdout: the next step sees none of it', async () => {
    const file = fixture('changes-process-state.py');
    const w = warm(file);
    const env = envAt('CCC', 3);
    for (const i of [0, 1, 2]) {
      const got = await w.run(env(i), 20_000);
      expect(got, `step ${i}`).to.deep.equal(await once(file, env(i)));
      expect((got[0] as { metrics: object }).metrics).to.deep.include({ cwd: process.cwd(), argv: [file], stdin: '', error_filter: false, handlers: 0 });
    }
    expect(listTrackedPids(table), 'one runner served every step').to.have.length(1);
  });

  it('a step that prints more than 16 MB: SCANNER_BAD_OUTPUT as for a process, and the runner serves on', async () => {
    const file = fixture('prints-too-much.py');
    const w = warm(file);
    const env = envAt('DDD', 1)(0);
    const error = (p: Promise<unknown>) => p.then(() => null, (e: { code: string; message: string }) => [e.code, e.message]);
    const expected = ['SCANNER_BAD_OUTPUT', 'script prints-too-much.py printed more than 16 MB on stdout'];
    expect(await error(once(file, env))).to.deep.equal(expected);
    expect(await error(w.run(env, 20_000))).to.deep.equal(expected);
    const [runner] = listTrackedPids(table);
    expect(await error(w.run(env, 20_000))).to.deep.equal(expected);
    expect(listTrackedPids(table)).to.deep.equal([runner]);
  });

  it('a runner killed during a step: SCANNER_THREW naming the signal, and the next step starts a fresh runner', async () => {
    const w = warm(fixture('sleeps.py'));
    const env = envAt('EEE', 1)(0);
    const step = w.run(env, 20_000).then(() => null, (e: { code: string; message: string }) => e);
    let runner: number | undefined;
    for (const end = Date.now() + 10_000; runner === undefined && Date.now() < end; [runner] = listTrackedPids(table)) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500)); // into the script's sleep
    process.kill(runner!, 'SIGKILL');
    const err = await step;
    expect(err).to.include({ code: 'SCANNER_THREW' });
    expect(err!.message).to.match(/^script sleeps\.py: its warm Python runner exited \(signal SIGKILL\)/);
    expect(await w.run(env, 20_000)).to.deep.equal([]);
    const [second] = listTrackedPids(table);
    expect(second).to.be.a('number').and.not.equal(runner);
    w.stop();
    expect(await waitUntilGone(second)).to.equal(true);
    expect(await waitUntilUntagged(tag)).to.deep.equal([]);
  });

  it('python3 not on the PATH: SCANNER_LOAD saying to install it, nothing tracked', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tmp();
    let err: { code?: string; message?: string } | null = null;
    try {
      await warm(fixture('sleeps.py')).run(envAt('FFF', 1)(0), 20_000);
    } catch (e) {
      err = e as typeof err;
    } finally {
      process.env.PATH = saved;
    }
    expect(err).to.include({ code: 'SCANNER_LOAD' });
    expect(err!.message).to.match(/^cannot start script sleeps\.py: spawn python3 ENOENT/);
    expect(listTrackedPids(table)).to.deep.equal([]);
  });
});
