/**
 * The warm runner: a long-lived child process that re-runs one legacy JavaScript/TypeScript script per step,
 * as if it were a fresh `node script` each time. Started by warm-node-script.ts with the script's path; speaks
 * over the IPC channel: it sends {type:'ready'}, then answers each {type:'run', id, env} with
 * {type:'done', id, code, stdout, stderr, overflow, recycle}.
 *
 * Design:
 * - A process, not a vm in the worker thread: the script may call process.exit, chdir, change globals or
 *   crash; all of that stays here, and a step that hangs is ended by killing this process's group.
 * - The script and its local imports are evaluated afresh per step, node_modules stay loaded, connections a
 *   step left open are closed (warm-node-loader.ts).
 * - A step is done as a process is: when the event loop holds nothing the step started (timers, sockets,
 *   fs requests; `process.getActiveResourcesInfo()` against what it held before the step), or when the script
 *   called process.exit. Its exit code is what a process would exit with: process.exit's argument, else
 *   process.exitCode, 1 after an uncaught throw or unhandled rejection (printed as node prints it), 13 for a
 *   top-level await nothing can settle. 'exit' listeners the step added are called, as node calls them.
 * - Between steps: process.env is reset to the runner's own plus the step's (nothing a step set survives),
 *   the working directory, globals and `process` properties the step added, listeners it added on `process`
 *   and process.exitCode are put back. A step that ends (process.exit, a throw) while its timers or handles
 *   are still pending leaves this process unclean: it says `recycle` and exits, and the next step gets a
 *   fresh runner. So does a runner whose heap grew past 1 GB, or that ran an ES module script 500 times.
 * Scripts that cannot be re-run here (child processes, stdin, other native addons, ESM-only packages) are
 * refused before a run starts (check-warm.ts) and run as a process per step instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
// A step's stderr is kept as a process's is: its first and last 8 KB, so the first error survives a long log.
import { appendStderr } from './summarize-stderr.js';
import {
  closeStepDatabases, evaluateEsmEntry, installWarmLoader, isLocalFile, isTopLevelAwait, loadAsMain, transpileToCommonJs, transpileToEsm,
} from './warm-node-loader.js';

const MAX_STDOUT = 16 * 1024 * 1024;
/** Polls of the event loop before waiting between polls: most steps are synchronous and end at once. */
const EAGER_POLLS = 20;
/**
 * Steps an ES module script file is re-run for before the runner makes way for a fresh one: node 20 keeps
 * every vm.SourceTextModule alive (measured: +18 MB and slower steps per 1,000 steps; CommonJS stays flat over
 * 10,000), and a fresh runner costs about half a second.
 */
const ESM_STEPS_PER_RUNNER = 500;
/** Heap beyond which the runner makes way for a fresh one after the step, whatever the script keeps. */
const MAX_HEAP_BYTES = 1024 * 2 ** 20;

interface Step {
  id: number;
  stdout: string[];
  stdoutBytes: number;
  overflow: boolean;
  stderr: string;
  /** Set once the step's outcome is known (process.exit or an uncaught error): later output is not the step's. */
  exitCode: number | null;
  /** Its 'exit' listeners run: what they print is the step's, as a process prints it on its way out. */
  exiting: boolean;
}

/** What process.exit throws to unwind the script's stack; never a failure in itself. */
class StepExit {
  constructor(readonly code: number) {}
}

const entry = path.resolve(process.argv[process.argv.length - 1]);
let step: Step | null = null;
/** The script file as ES module code when it awaits at top level (see warm-node-loader.ts), else null. */
let esmEntry: string | null = null;

function captureOutput(): void {
  const write = (into: 'stdout' | 'stderr', real: typeof process.stdout.write) => function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (!step) {
      // Between steps only the runner itself writes (its own failures), to the real stream.
      if (into === 'stderr') real.call(process.stderr, text);
    } else if (step.exitCode === null || step.exiting) {
      if (into === 'stdout') {
        if (step.stdoutBytes + text.length > MAX_STDOUT) step.overflow = true;
        else {
          step.stdout.push(text);
          step.stdoutBytes += text.length;
        }
      } else {
        step.stderr = appendStderr(step.stderr, text);
        // Also on the real stderr: when a step hangs and is killed, what it logged is still known.
        real.call(process.stderr, text);
      }
    }
    if (callback) process.nextTick(callback);
    return true;
  };
  process.stdout.write = write('stdout', process.stdout.write) as typeof process.stdout.write;
  process.stderr.write = write('stderr', process.stderr.write.bind(process.stderr)) as typeof process.stderr.write;
  // Some scripts write their JSON to file descriptor 1 directly (`fs.writeSync(1, …)`): that is stdout too.
  const writeSync = fs.writeSync;
  fs.writeSync = function (fd: number, data: unknown, ...rest: unknown[]) {
    if (fd !== 1 && fd !== 2) return (writeSync as (...a: unknown[]) => number).call(fs, fd, data, ...rest);
    const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return Buffer.byteLength(text);
  } as typeof fs.writeSync;
}

/** As node prints an uncaught error: where it was thrown in the script, then the error with its stack. */
function formatUncaught(err: unknown): string {
  if (!(err instanceof Error)) return `Uncaught ${typeof err === 'string' ? err : JSON.stringify(err) ?? String(err)}\n`;
  // The runner's own frames below the script's say nothing about the script.
  const lines = (err.stack ?? `${err.name}: ${err.message}`).split('\n');
  const kept = lines.filter((l) => !/^\s+at /.test(l) || !/warm-node-(runner|loader)\.[jt]s|node:internal|\(node:/.test(l));
  const frame = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):(\d+)\)?$/.exec(kept.find((l) => /^\s+at /.test(l)) ?? '');
  let where = '';
  if (frame && isLocalFile(frame[1])) {
    try {
      const source = fs.readFileSync(frame[1], 'utf8').split('\n')[Number(frame[2]) - 1] ?? '';
      where = `${frame[1]}:${frame[2]}\n${source}\n${' '.repeat(Math.max(0, Number(frame[3]) - 1))}^\n\n`;
    } catch {
      // the file is gone: the stack still names it
    }
  }
  return `${where}${kept.join('\n')}\n\nNode.js ${process.version}\n`;
}

function failStep(err: unknown): void {
  if (!step || step.exitCode !== null) return;
  step.stderr = appendStderr(step.stderr, formatUncaught(err));
  step.exitCode = 1;
}

function endStepByExit(code: unknown): never {
  const n = code === undefined || code === null ? (process.exitCode ?? 0) : Number(code);
  if (step && step.exitCode === null) step.exitCode = Number.isInteger(n) ? Number(n) & 0xff : 1;
  throw new StepExit(step?.exitCode ?? 0);
}

/** Resources (by type) beyond those the runner itself holds while idle. */
function countExtraResources(baseline: Map<string, number>): number {
  const now = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) now.set(r, (now.get(r) ?? 0) + 1);
  let extra = 0;
  for (const [r, n] of now) extra += Math.max(0, n - (baseline.get(r) ?? 0));
  return extra;
}

const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));
// Checked from an immediate after the timer: inside its own callback a timer still counts as active.
const nextPause = (ms: number) => new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), ms));

const exitRunner = process.exit.bind(process);

async function main(): Promise<void> {
  const require = Module.createRequire(pathToFileURL(entry));
  installWarmLoader();
  captureOutput();
  process.exit = endStepByExit as typeof process.exit;
  process.on('uncaughtException', (err) => {
    if (!(err instanceof StepExit)) failStep(err);
  });
  process.on('unhandledRejection', (reason) => {
    if (!(reason instanceof StepExit)) failStep(reason);
  });
  try {
    transpileToCommonJs(entry); // before READY, so the first step's timeout does not count it
  } catch (err) {
    if (isTopLevelAwait(err)) esmEntry = transpileToEsm(entry);
    // anything else is said by the first step, as the failure of that step
  }

  // The worker that started this runner is gone (its thread ended): so is the reason to live.
  process.on('disconnect', () => exitRunner(0));
  // As `node script` sees itself: `process.argv[1] === __filename` and `require.main === module` idioms hold.
  process.argv = [process.argv[0], entry];
  process.on('message', (m: { type: string; id: number; env: Record<string, string> }) => {
    if (m.type === 'run') void runStep(m.id, m.env);
  });

  // What the runner holds between steps; each step is put back to this.
  const baseEnv = { ...process.env };
  const baseCwd = process.cwd();
  const baseGlobals = new Set(Reflect.ownKeys(globalThis));
  const baseProcessKeys = new Set(Reflect.ownKeys(process));
  const events = process as unknown as NodeJS.EventEmitter;
  const baseListeners = new Map(events.eventNames().map((e) => [e, new Set(events.listeners(e))]));
  const baseCache = new Set(Object.keys(require.cache));
  let baseline = new Map<string, number>();
  let stepsRun = 0;

  const restore = () => {
    closeStepDatabases();
    for (const k of Object.keys(process.env)) if (!(k in baseEnv)) delete process.env[k];
    Object.assign(process.env, baseEnv);
    try {
      process.chdir(baseCwd);
    } catch {
      // the directory is gone: the next step starts where the last one left
    }
    for (const k of Reflect.ownKeys(globalThis)) if (!baseGlobals.has(k)) Reflect.deleteProperty(globalThis, k);
    for (const k of Reflect.ownKeys(process)) if (!baseProcessKeys.has(k)) Reflect.deleteProperty(process, k);
    process.argv = [process.argv[0], entry];
    for (const e of events.eventNames()) {
      const kept = baseListeners.get(e);
      for (const l of events.listeners(e)) if (!kept?.has(l)) events.removeListener(e, l as () => void);
    }
    for (const k of Object.keys(require.cache)) if (!baseCache.has(k) && isLocalFile(k)) delete require.cache[k];
    process.exitCode = undefined;
    process.exit = endStepByExit as typeof process.exit;
  };

  const runStep = async (id: number, env: Record<string, string>) => {
    const current: Step = { id, stdout: [], stdoutBytes: 0, overflow: false, stderr: '', exitCode: null, exiting: false };
    step = current;
    Object.assign(process.env, env);
    let evaluation: 'none' | 'pending' | 'settled' = 'none';
    try {
      if (esmEntry !== null) {
        evaluation = 'pending';
        evaluateEsmEntry(entry, esmEntry, require).then(() => void (evaluation = 'settled'), (err) => {
          evaluation = 'settled';
          if (!(err instanceof StepExit)) failStep(err);
        });
      } else {
        loadAsMain(entry);
      }
    } catch (err) {
      if (!(err instanceof StepExit)) failStep(err);
    }
    // Done as a process is done: nothing the step started is pending any more, or it exited. Checked from an
    // immediate: by then every promise callback queued so far has run (and may have started a timer).
    for (let polls = 0, idle = 0; current.exitCode === null; polls++) {
      await (polls < EAGER_POLLS ? nextImmediate() : nextPause(Math.min(10, polls - EAGER_POLLS + 1)));
      if (countExtraResources(baseline) > 0) idle = 0;
      else if (evaluation !== 'pending' || ++idle >= 2) break;
    }
    if (evaluation === 'pending' && current.exitCode === null) {
      // Nothing left that could settle it: node ends such a program with code 13 and this warning.
      current.stderr += `Warning: Detected unsettled top-level await at ${pathToFileURL(entry).href}\n`;
      current.exitCode = 13;
    }
    let code = current.exitCode ?? (Number(process.exitCode ?? 0) & 0xff);
    // A process emits 'exit' to its listeners before it ends; a script may print its result there.
    const exitListeners = events.listeners('exit').filter((l) => !baseListeners.get('exit')?.has(l));
    current.exiting = true;
    for (const l of exitListeners) {
      try {
        (l as (c: number) => void)(code);
      } catch (err) {
        if (!(err instanceof StepExit)) failStep(err);
      }
    }
    if (current.exitCode !== null) code = current.exitCode;
    stepsRun++;
    const recycle = countExtraResources(baseline) > 0 || (esmEntry !== null && stepsRun >= ESM_STEPS_PER_RUNNER)
      || process.memoryUsage().heapUsed > MAX_HEAP_BYTES;
    step = null;
    restore();
    process.send!({
      type: 'done', id, code, stdout: current.stdout.join(''), stderr: current.stderr, overflow: current.overflow, recycle,
    }, () => {
      if (recycle) exitRunner(0);
    });
  };

  await nextImmediate();
  baseline = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) baseline.set(r, (baseline.get(r) ?? 0) + 1);
  process.send!({ type: 'ready' });
}

void main().catch((err) => {
  process.stderr.write(`barwise warm runner: cannot start for ${entry}: ${err instanceof Error ? err.stack : String(err)}\n`);
  exitRunner(70);
});
