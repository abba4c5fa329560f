/**
 * The only module that knows Piscina: start the pool, run a worker call (a batch of tasks, abortable), stop it.
 */
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { resolveTsxLoaderUrl } from '../scanners/tsx-loader.js';
import { Piscina } from 'piscina';
import { FROM_SOURCE, resolveOwnModule } from '../package-paths.js';
import { killThreadChildren, listThreadIds } from '../runtime/thread-children.js';
import { noteStuckWorkers } from './stuck-workers.js';
import type { BatchAnswer, PostedResult, TaskBatch, WorkerConfig } from '../runtime/task-types.js';

export interface ScanPool {
  readonly threads: number;
  /**
   * Runs a batch in one worker call; `onResult` hears each task's result as the worker posts it (the answer
   * then carries none), every posted result before the call settles, however it settles.
   */
  run(batch: TaskBatch, signal: AbortSignal, onResult: (posted: PostedResult) => void): Promise<BatchAnswer>;
  /** Workers terminated more than a second ago that are still running (stuck in a native call). */
  countStuck(): number;
  /** Stops every worker; resolves with how many could not be stopped (stuck in a native call). */
  destroy(): Promise<number>;
}

export interface PoolOptions {
  threads: number;
  /** Old-generation heap limit per worker; a scanner that allocates without bound kills only its worker. */
  workerMemoryMb: number;
}

const WORKER_FILE = resolveOwnModule('../../workers/scan-worker', import.meta.url).href;
// Running from source, the worker is TypeScript too: workers do not inherit loader hooks registered through
// the API, so each one imports tsx itself (an absolute URL, so it resolves from barwise's own node_modules
// whatever the user's working directory). Compiled workers start without tsx; a `.ts` scanner brings it in
// through tsImport only when it is loaded.

/** How long terminated workers get to end before they count as stuck. */
const STOP_WAIT_MS = 1000;

export function startScanPool(config: WorkerConfig, options: PoolOptions): ScanPool {
  const threadsBefore = new Set(listThreadIds());
  const pool = new Piscina({
    filename: WORKER_FILE,
    workerData: config,
    minThreads: options.threads,
    maxThreads: options.threads,
    idleTimeout: 60_000,
    execArgv: workerExecArgv(),
    resourceLimits: { maxOldGenerationSizeMb: options.workerMemoryMb },
  });
  // Errors of a worker are delivered to the task it was running; the pool's own 'error' event would
  // otherwise crash the process for a worker that dies between tasks.
  pool.on('error', () => {});
  // Every worker the pool started, until it has really ended: Piscina forgets a worker as soon as it asks it
  // to terminate, whether or not the thread stops.
  const alive = new Set<Worker>();
  /** When a worker still alive was first seen no longer in the pool (asked to terminate). */
  const letGo = new Map<Worker, number>();
  const watchThreads = () => {
    for (const w of pool.threads) {
      if (alive.has(w)) continue;
      alive.add(w);
      w.once('exit', () => {
        alive.delete(w);
        letGo.delete(w);
      });
    }
  };
  return {
    threads: options.threads,
    run: (batch, signal, onResult) => {
      watchThreads();
      // Before Piscina's own listener terminates the worker, so the one running this task is watched.
      signal.addEventListener('abort', watchThreads, { once: true });
      const { port1, port2 } = new MessageChannel();
      port1.on('message', onResult);
      // Results the worker posted before its answer (or its death) may still wait on the port: taken now, in
      // order, so that the call settles only after every result it posted was heard.
      const drain = () => {
        for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) onResult(m.message as PostedResult);
        port1.close();
      };
      return (pool.run({ ...batch, port: port2 }, { signal, transferList: [port2] }) as Promise<BatchAnswer>).then(
        (answer) => {
          drain();
          return answer;
        },
        (err: unknown) => {
          drain();
          throw err;
        },
      );
    },
    countStuck: () => {
      const now = Date.now();
      const inPool = new Set(pool.threads);
      let stuck = 0;
      for (const w of alive) {
        if (inPool.has(w)) continue;
        const since = letGo.get(w) ?? now;
        letGo.set(w, since);
        if (now - since >= STOP_WAIT_MS) stuck++;
      }
      return stuck;
    },
    destroy: async () => {
      watchThreads();
      await pool.destroy();
      if (await waitForExit(alive, STOP_WAIT_MS)) return 0;
      // A worker blocked in a call that waits on a child process (execSync) is released by killing that
      // child; the threads the pool added are the only ones whose children are the run's.
      killThreadChildren(listThreadIds().filter((t) => !threadsBefore.has(t)));
      if (await waitForExit(alive, STOP_WAIT_MS)) return 0;
      for (const w of alive) w.unref();
      noteStuckWorkers(alive.size);
      return alive.size;
    },
  };
}

/** Whether every worker in the set ended within `ms`. */
async function waitForExit(alive: Set<Worker>, ms: number): Promise<boolean> {
  if (alive.size === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const exits = [...alive].map((w) => new Promise((r) => w.once('exit', r)));
  await Promise.race([Promise.all(exits), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
  return alive.size === 0;
}

/**
 * The workers' Node options, or undefined for the main thread's own. Given a list, Node refuses to start a worker
 * whose list holds a V8 or process-wide option (`node --max-old-space-size=8192 bin/barwise.js`, --stack-size,
 * --title: ERR_WORKER_INVALID_EXEC_ARGV); left undefined, a worker inherits the main thread's options as Node
 * takes them for a worker (--cpu-prof included: each worker then writes its own profile). So a list is given only
 * running from source without tsx among the main thread's options, where each worker must import tsx itself.
 */
function workerExecArgv(): string[] | undefined {
  const inherited = process.execArgv;
  if (!FROM_SOURCE) return undefined;
  const hasTsx = inherited.some((a, i) => /tsx/.test(a) && (a.startsWith('--import') || inherited[i - 1] === '--import'));
  return hasTsx ? undefined : [...inherited, '--import', resolveTsxLoaderUrl(WORKER_FILE)];
}
