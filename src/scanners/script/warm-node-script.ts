/**
 * A run-once JavaScript/TypeScript script executed warm: one runner process (warm-node-runner.ts) per worker
 * thread re-runs it per step, which answers each step as runScriptOnce would for a process of its own: the
 * same exit-code rule, the same output parsing, the same error messages. The runner is its own process group
 * and recorded in the child registry, so a step timeout, a stop or the end of the run kills it with whatever
 * it started; after a timeout, a crash or a step that left work pending, the next step starts a fresh one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BarwiseError } from '../../errors.js';
import { FROM_SOURCE, resolveOwnModule } from '../../package-paths.js';
import { killProcessGroup, killProcessTree, type ChildRegistry } from '../../runtime/child-registry.js';
import { resolveTsxLoaderUrl } from '../tsx-loader.js';
import { parseScriptOutput } from './parse-script-output.js';
import { stderrTail } from './run-script-once.js';
import { appendStderr } from './summarize-stderr.js';
import { scriptCommand } from './script-command.js';
import type { WarmScript } from './warm-script.js';

const RUNNER = fileURLToPath(resolveOwnModule('./warm-node-runner', import.meta.url));
/** How long a runner may take to start (node, esbuild, the first transpile): not a scanner step. */
const START_TIMEOUT_MS = 15_000;
const MAX_STDOUT_MB = 16;

interface StepReply {
  type: 'done';
  id: number;
  code: number;
  stdout: string;
  stderr: string;
  overflow: boolean;
  recycle: boolean;
}

interface Runner {
  child: ChildProcess;
  ready: Promise<void>;
  /** What the runner printed on its real stderr: the script's logs of the current step, or its own crash. */
  stderr: string;
  exited: { code: number | null; signal: NodeJS.Signals | null } | null;
  onReply: ((r: StepReply) => void) | null;
  onExit: (() => void) | null;
}

export function createWarmNodeScript(file: string, o: { label: string; registry?: ChildRegistry }): WarmScript {
  const cmd = scriptCommand(file);
  let runner: Runner | null = null;
  let nextId = 1;

  const start = (): Runner => {
    const args = [...(FROM_SOURCE ? ['--import', resolveTsxLoaderUrl(RUNNER)] : []), '--enable-source-maps',
      // An entry that awaits at top level runs as a vm.SourceTextModule (see warm-node-runner.ts).
      '--experimental-vm-modules', '--disable-warning=ExperimentalWarning', RUNNER, file];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...cmd.env, ...o.registry?.env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true, // its own process group: killing it kills what the script started (see killProcessTree)
      serialization: 'advanced',
    });
    o.registry?.track(child.pid);
    const r: Runner = { child, ready: Promise.resolve(), stderr: '', exited: null, onReply: null, onExit: null };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      r.stderr = appendStderr(r.stderr, d);
    });
    child.on('message', (m: { type: string }) => {
      if (m.type === 'done') r.onReply?.(m as StepReply);
    });
    child.on('error', () => {}); // a failed start or send is reported where it happens (ready, runStep)
    child.on('exit', (code, signal) => {
      // What the script left running in the runner's group goes with it, however the runner ended.
      killProcessGroup(child.pid);
      o.registry?.untrack(child.pid);
      r.exited = { code, signal };
      if (runner === r) runner = null;
      r.onExit?.();
    });
    r.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        killProcessTree(child.pid);
        reject(new BarwiseError('SCANNER_TIMEOUT', `warm runner for ${o.label} did not start within ${START_TIMEOUT_MS / 1000} s${stderrTail(r.stderr, file)}`));
      }, START_TIMEOUT_MS);
      const onReady = (m: { type: string }) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onReady);
        resolve();
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new BarwiseError('SCANNER_LOAD', `warm runner for ${o.label} exited (${code === null ? `signal ${signal}` : `code ${code}`}) before it was ready${stderrTail(r.stderr, file)}`,
          'Run with --no-warm to start the script as a process per step.'));
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new BarwiseError('SCANNER_LOAD', `cannot start the warm runner for ${o.label}: ${err.message}`));
      });
    });
    return r;
  };

  const runStep = (r: Runner, env: Record<string, string>, timeoutMs: number): Promise<unknown[]> => new Promise((resolve, reject) => {
    const id = nextId++;
    r.stderr = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.onReply = null;
      r.onExit = null;
      fn();
    };
    const timer = setTimeout(() => settle(() => {
      killProcessTree(r.child.pid);
      if (runner === r) runner = null;
      reject(new BarwiseError('SCANNER_TIMEOUT', `${o.label} did not finish within ${timeoutMs / 1000} s and was killed${stderrTail(r.stderr, file)}`));
    }), timeoutMs);
    r.onReply = (reply) => settle(() => {
      if (reply.recycle && runner === r) runner = null; // it exits by itself: the next step starts a fresh one
      if (reply.id !== id) {
        reject(new BarwiseError('SCANNER_THREW', `warm runner for ${o.label} answered step ${id} with step ${reply.id}`));
        return;
      }
      const tail = stderrTail(reply.stderr, file);
      if (reply.code !== 0) reject(new BarwiseError('SCANNER_THREW', `${o.label} exited with code ${reply.code}${tail}`));
      else if (reply.overflow) reject(new BarwiseError('SCANNER_BAD_OUTPUT', `${o.label} printed more than ${MAX_STDOUT_MB} MB on stdout`));
      else {
        const parsed = parseScriptOutput(reply.stdout);
        if (parsed.ok) resolve(parsed.signals);
        else reject(new BarwiseError('SCANNER_BAD_OUTPUT', `${o.label}: ${parsed.reason}${tail}`));
      }
    });
    // The script ended the runner itself (a signal to its own pid, process.abort, a native crash).
    r.onExit = () => settle(() => {
      const how = r.exited?.code === null ? `signal ${r.exited?.signal}` : `code ${r.exited?.code}`;
      reject(new BarwiseError('SCANNER_THREW', `${o.label} exited with ${how}${stderrTail(r.stderr, file)}`));
    });
    if (r.exited) {
      r.onExit();
      return;
    }
    r.child.send({ type: 'run', id, env }, (err) => {
      if (err) settle(() => reject(new BarwiseError('SCANNER_THREW', `${o.label}: the warm runner stopped answering (${err.message})${stderrTail(r.stderr, file)}`)));
    });
  });

  return {
    async run(env, timeoutMs) {
      let r = runner;
      if (!r || r.exited) {
        r = start();
        runner = r;
        try {
          await r.ready;
        } catch (err) {
          if (runner === r) runner = null;
          killProcessTree(r.child.pid);
          throw err;
        }
      }
      return runStep(r, env, timeoutMs);
    },
    stop() {
      const r = runner;
      runner = null;
      if (r && !r.exited) killProcessTree(r.child.pid);
    },
  };
}
