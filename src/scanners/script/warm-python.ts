/**
 * A legacy run-once Python script executed warm: one long-lived python3 (warm-runner.py) re-runs the script
 * per step with runpy, instead of a process per step. The runner speaks to barwise on file descriptors 3
 * (requests) and 4 (replies), never on the script's stdin or stdout, so a script's prints and reads are
 * exactly its own. What a step leaves behind in the interpreter is cleared by the runner (see its header);
 * a step that times out kills the runner's whole process group, and the next step starts a fresh runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import { BarwiseError } from '../../errors.js';
import { killProcessTree, type ChildRegistry } from '../../runtime/child-registry.js';
import { parseScriptOutput } from './parse-script-output.js';
import { stderrTail } from './run-script-once.js';
import type { WarmScript } from './warm-script.js';

// The same relative path in src/ and dist/ (scripts/build.mjs copies .py files), shipped with dist/.
export const WARM_RUNNER_PATH = fileURLToPath(new URL('./warm-runner.py', import.meta.url));

/** Starting python3 is not a scanner step: on a busy machine it alone can exceed a short --step-timeout. */
const START_TIMEOUT_MS = 15_000;
const MAX_STDOUT_MB = 16;

export interface WarmPythonOptions {
  label: string;
  registry?: ChildRegistry;
}

/** What the runner answers per step (see warm-runner.py). */
interface StepReply {
  exit: number;
  stdout: string;
  overflow: boolean;
  stderr: string;
  /** An exception's first line (`ValueError: boom`) and the innermost frame in the script. */
  error?: string;
  frame?: string;
  /** Set when the step left threads or processes behind: the runner must be replaced. */
  restart?: string;
}

export function createWarmPythonScript(file: string, o: WarmPythonOptions): WarmScript {
  let runner: PythonRunner | null = null;
  return {
    async run(env, timeoutMs) {
      runner ??= new PythonRunner(file, o);
      const current = runner;
      let reply: StepReply;
      try {
        reply = await current.step(env, timeoutMs);
      } catch (err) {
        // Timed out, died or unreadable: the next step starts a fresh runner.
        current.stop();
        if (runner === current) runner = null;
        throw err;
      }
      if (reply.restart !== undefined) {
        // Killing the group ends what the step started, as the end of a process per step would.
        current.stop();
        if (runner === current) runner = null;
      }
      return readSignals(reply, o.label, file);
    },
    stop() {
      runner?.stop();
      runner = null;
    },
  };
}

/** A step's reply → its signals, judged in the order runScriptOnce judges a process's end. */
function readSignals(reply: StepReply, label: string, file: string): unknown[] {
  const tail = stderrTail(reply.stderr, file);
  if (reply.error !== undefined) {
    throw new BarwiseError('SCANNER_THREW', `${label} raised ${reply.error}${reply.frame ? `\n${reply.frame}` : ''}${tail}`);
  }
  if (reply.exit !== 0) throw new BarwiseError('SCANNER_THREW', `${label} exited with code ${reply.exit}${tail}`);
  if (reply.overflow) throw new BarwiseError('SCANNER_BAD_OUTPUT', `${label} printed more than ${MAX_STDOUT_MB} MB on stdout`);
  const parsed = parseScriptOutput(reply.stdout);
  if (!parsed.ok) throw new BarwiseError('SCANNER_BAD_OUTPUT', `${label}: ${parsed.reason}${tail}`);
  return parsed.signals;
}

type Waiter = { resolve(line: string): void; reject(err: Error): void };

/** One python3 running warm-runner.py for one script. */
class PythonRunner {
  private readonly child: ChildProcess;
  private readonly requests: Writable;
  private readonly ready: Promise<void>;
  private waiter: Waiter | null = null;
  private dead: BarwiseError | null = null;
  private stderr = '';
  private stopped = false;
  private busy = false;

  constructor(file: string, private readonly o: WarmPythonOptions) {
    this.child = spawn('python3', [WARM_RUNNER_PATH, file], {
      env: { ...process.env, ...o.registry?.env },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: killing it kills what the script started (see killProcessTree)
    });
    const child = this.child;
    o.registry?.track(child.pid);
    this.requests = child.stdio[3] as Writable;
    this.requests.on('error', () => {}); // a dead runner's closed pipe is reported through 'exit'
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-8192);
    });
    readline.createInterface({ input: child.stdio[4] as Readable }).on('line', (line) => {
      const w = this.waiter;
      this.waiter = null;
      w?.resolve(line);
    });
    child.on('error', (err) => this.onDeath(new BarwiseError('SCANNER_LOAD', `cannot start ${o.label}: ${err.message}`,
      'Check that python3 is installed and on the PATH.')));
    child.on('exit', (code, signal) => {
      o.registry?.untrack(child.pid);
      const how = code === null ? `signal ${signal}` : `code ${code}`;
      this.onDeath(new BarwiseError('SCANNER_THREW', `${o.label}: its warm Python runner exited (${how})${stderrTail(this.stderr)}`));
    });
    this.ready = this.nextLine(START_TIMEOUT_MS, 'start').then(() => undefined);
    this.ready.catch(() => {}); // awaited by the first step
  }

  async step(env: Record<string, string>, timeoutMs: number): Promise<StepReply> {
    if (this.busy) throw new Error('PythonRunner.step: a step is already running');
    this.busy = true;
    let line: string;
    try {
      await this.ready;
      this.stderr = ''; // the tail a timeout or a crash shows is this step's
      const reply = this.nextLine(timeoutMs, 'step');
      this.requests.write(`${JSON.stringify({ env })}\n`);
      line = await reply;
    } finally {
      this.busy = false;
    }
    try {
      return JSON.parse(line) as StepReply;
    } catch {
      throw new BarwiseError('SCANNER_THREW', `${this.o.label}: its warm Python runner sent an unreadable reply${stderrTail(this.stderr)}`);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.dead ??= new BarwiseError('SCANNER_THREW', `${this.o.label}: its warm Python runner was stopped`);
    this.waiter?.reject(this.dead);
    this.waiter = null;
    if (this.child.exitCode === null && this.child.signalCode === null) killProcessTree(this.child.pid);
    this.o.registry?.untrack(this.child.pid);
  }

  private nextLine(timeoutMs: number, what: 'start' | 'step'): Promise<string> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        const err = what === 'start'
          ? new BarwiseError('SCANNER_TIMEOUT', `${this.o.label}: its warm Python runner did not start within ${timeoutMs / 1000} s${stderrTail(this.stderr)}`)
          : new BarwiseError('SCANNER_TIMEOUT', `${this.o.label} did not finish within ${timeoutMs / 1000} s and was killed${stderrTail(this.stderr)}`);
        this.stop();
        reject(err);
      }, timeoutMs);
      this.waiter = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  private onDeath(err: BarwiseError): void {
    this.dead ??= err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(this.dead);
  }
}
