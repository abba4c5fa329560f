/**
 * The only module that knows Piscina: start the pool, run a task (abortable), stop it.
 */
import { resolveTsxLoaderUrl } from '../scanners/tsx-loader.js';
import { Piscina } from 'piscina';
import { FROM_SOURCE, resolveOwnModule } from '../package-paths.js';
import type { Task, TaskResult, WorkerConfig } from '../runtime/task-types.js';

export interface ScanPool {
  readonly threads: number;
  run(task: Task, signal: AbortSignal): Promise<TaskResult>;
  destroy(): Promise<void>;
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

export function startScanPool(config: WorkerConfig, options: PoolOptions): ScanPool {
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
  return {
    threads: options.threads,
    run: (task, signal) => pool.run(task, { signal }) as Promise<TaskResult>,
    destroy: () => pool.destroy(),
  };
}

function workerExecArgv(): string[] {
  const inherited = process.execArgv; // --cpu-prof included: each worker then writes its own profile
  if (!FROM_SOURCE) return inherited;
  const hasTsx = inherited.some((a, i) => /tsx/.test(a) && (a.startsWith('--import') || inherited[i - 1] === '--import'));
  return hasTsx ? inherited : [...inherited, '--import', resolveTsxLoaderUrl(WORKER_FILE)];
}
