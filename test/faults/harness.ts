/**
 * The fault catalogue's harness: runs the real CLI as a user would, in an environment that makes leftovers
 * visible. Each run gets its own TMPDIR (so a `barwise-*` temp entry left behind is seen) and a unique tag
 * in its environment, which every child process it starts inherits: a process still carrying the tag after
 * the CLI exited is a leaked child.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

export const fixture = (f: string) => path.join(ROOT, 'test/fixtures/scanners', f);
export const faultFixture = (f: string) => path.join(ROOT, 'test/faults/fixtures', f);

export interface FaultRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the kill (if any) to the exit, ms. */
  stopMs: number | null;
  /** `barwise-*` entries left in the run's TMPDIR. */
  tempLeft: string[];
  /** Pids of processes started by the run and still alive after it ended. */
  childrenLeft: number[];
}

export interface FaultOptions {
  env?: NodeJS.ProcessEnv;
  /** Send this signal once `when` matches the stderr so far (or after `afterMs`). */
  kill?: { signal: NodeJS.Signals; when?: RegExp; afterMs?: number; until?: () => boolean };
  cwd?: string;
}

let counter = 0;

/** Runs `barwise ...args` with TMPDIR set to `tmpDir`; reports leftovers once it exited. */
export function runFault(tmpDir: string, args: string[], o: FaultOptions = {}): Promise<FaultRun> {
  const tag = `${process.pid}-${++counter}-${Date.now()}`;
  fs.mkdirSync(tmpDir, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'barwise.js'), ...args], {
      cwd: o.cwd ?? ROOT,
      env: { ...process.env, TMPDIR: tmpDir, BARWISE_FAULT_TAG: tag, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedAt: number | null = null;
    const kill = () => {
      if (killedAt !== null || child.exitCode !== null) return;
      killedAt = Date.now();
      child.kill(o.kill!.signal);
    };
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (o.kill?.when && o.kill.when.test(stderr)) kill();
    });
    if (o.kill?.afterMs !== undefined) setTimeout(kill, o.kill.afterMs);
    const poll = o.kill?.until ? setInterval(() => {
      try {
        if (o.kill!.until!()) kill();
      } catch {
        // not there yet
      }
    }, 100) : null;
    child.on('close', async (code, signal) => {
      if (poll) clearInterval(poll);
      const stopMs = killedAt === null ? null : Date.now() - killedAt;
      const childrenLeft = await waitForNoTagged(tag, 1000);
      const tempLeft = fs.readdirSync(tmpDir).filter((f) => f.startsWith('barwise-'));
      resolve({ code, signal, stdout, stderr, stopMs, tempLeft, childrenLeft });
    });
  });
}

/** Live processes whose environment carries the tag, after giving them `graceMs` to go. */
async function waitForNoTagged(tag: string, graceMs: number): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = taggedProcesses(tag);
    if (left.length === 0 || Date.now() > deadline) {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL'); // so one failing case does not leak into the next
        } catch {
          // gone
        }
      }
      return left;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function taggedProcesses(tag: string): number[] {
  const needle = `BARWISE_FAULT_TAG=${tag}\0`;
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) out.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Nothing outlived the run: no `barwise-*` temp entry, no child process. */
export function expectClean(r: FaultRun): void {
  expect(r.tempLeft, 'temp files left behind').to.deep.equal([]);
  expect(r.childrenLeft, 'child processes left behind').to.deep.equal([]);
}

/** Rows the results database holds for a run. */
export function readRun(resultsDb: string, runId?: number) {
  const db = new Database(resultsDb, { readonly: true });
  try {
    const run = (runId === undefined
      ? db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get()
      : db.prepare('SELECT * FROM runs WHERE id = ?').get(runId)) as { id: number; status: string } | undefined;
    if (!run) return null;
    const days = db.prepare('SELECT ticker, date, status FROM run_days WHERE run_id = ? ORDER BY date, ticker').all(run.id) as { ticker: string; date: string; status: string }[];
    const signals = db.prepare('SELECT ticker, signal_date, signal_time FROM signals WHERE run_id = ? ORDER BY signal_date, timestamp, ticker').all(run.id) as { ticker: string; signal_date: string; signal_time: string }[];
    const failures = db.prepare('SELECT ticker, date, code, message FROM failures WHERE run_id = ? ORDER BY date, ticker').all(run.id) as { ticker: string; date: string; code: string; message: string }[];
    return { run, days, signals, failures };
  } finally {
    db.close();
  }
}

/** `tickers` × `dates`, each a day of `slots` five-minute bars. */
export const storeDays = (tickers: string[], dates: string[], slots: number): TestBar[] =>
  tickers.flatMap((t) => dates.flatMap((d) => makeDay(t, d, { slots })));

export interface FaultBacktest extends FaultRun {
  /** The run's --out file. */
  out: string;
  /** The --out JSON as JSON.parse gives it (untyped, as a user's script reads it), or null when the run wrote none. */
  json: any;
  /** What the run's results database kept, or null when it wrote none. */
  kept: ReturnType<typeof readRun>;
}

export interface FaultStore {
  /** A path in the suite's temp dir (removed after the suite). */
  file(name: string): string;
  /** The suite's market database (m.db), written before its tests. */
  readonly db: string;
  /** The bars written to it. */
  readonly bars: TestBar[];
  /**
   * Runs `barwise backtest --db --results-db --out ...args`, each run with its own results DB and --out file,
   * and returns the run, its --out JSON and what the results DB kept. The run's TMPDIR is `tmp` in the suite's dir.
   */
  backtest(args: string[], o?: { db?: string; tmpDir?: string; env?: NodeJS.ProcessEnv }): Promise<FaultBacktest>;
}

/** A fault suite's workspace: a temp dir with a market database of `makeBars()`, and a CLI backtest on it. */
export function useFaultStore(makeBars: () => TestBar[]): FaultStore {
  const tmp = useTempDir('barwise-faults-');
  const file = (name: string) => path.join(tmp(), name);
  let n = 0;
  const store: FaultStore & { db: string; bars: TestBar[] } = {
    file,
    db: '',
    bars: [],
    async backtest(args, o = {}) {
      const id = ++n;
      const out = file(`out-${id}.json`);
      const results = file(`r-${id}.db`);
      const r = await runFault(o.tmpDir ?? file('tmp'), ['backtest', '--db', o.db ?? store.db, '--results-db', results, '--out', out, ...args], { env: o.env });
      const json = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
      return { ...r, out, json, kept: fs.existsSync(results) ? readRun(results) : null };
    },
  };
  before(() => {
    store.bars = makeBars();
    store.db = writeStore(file('m.db'), store.bars);
  });
  return store;
}
