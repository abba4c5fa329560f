/**
 * What a backtest and a sweep set up alike before their tasks run: how many worker threads they get, the
 * refusal of a results database that is one of the run's inputs, and the run's scratch (its temp dir and the
 * table of child processes its workers start), which goes when the run ends however it ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nameKey, type Caller } from '../config/options.js';
import { checkOutputPaths } from '../config/check-output-paths.js';
import { planTasks } from '../plan/plan-tasks.js';
import { createChildTable, killRecordedChildren, killTaggedProcesses } from '../runtime/child-registry.js';
import type { Task } from '../runtime/task-types.js';
import { nameScratchPrefix, removeOrphanedScratch } from './orphaned-scratch.js';

/**
 * The run's tasks and its worker threads. In-worker scanners are CPU-bound: workers beyond the cores only add
 * start-up time and memory (measured: 8 threads on 2 cores, 1.5 s against 0.87 s on the small workload).
 * Scripts and naive mode mostly wait on child processes, so they get the threads asked for.
 */
export function planRunTasks(universe: { tickers: readonly string[]; from: string; to: string }, threadsAsked: number, cpuBound: boolean): { planned: Task[]; threads: number } {
  const planned = planTasks([...universe.tickers], universe.from, universe.to, threadsAsked);
  const threads = Math.max(1, Math.min(threadsAsked, planned.length, cpuBound ? os.availableParallelism() : Infinity));
  return { planned, threads };
}

/** Every input is known and nothing is written yet: refuse a results database that is an input. */
export function checkRunOutputs(o: { db: string; scanner: string; resultsDb: string }, caller: Caller): void {
  const named = (key: string) => nameKey('run', key, caller);
  checkOutputPaths(
    [{ option: named('db'), path: o.db, sqlite: true }, { option: named('scanner'), path: o.scanner }],
    [{ option: named('resultsDb'), path: o.resultsDb, sqlite: true }],
  );
}

export interface RunScratch {
  tempDir: string;
  children: ReturnType<typeof createChildTable>;
  /** Kills what the workers started and removes the temp dir; also runs should the process exit first. */
  dispose(): void;
}

/**
 * Every file a run makes (script day files, naive snapshots) lives in `tempDir`, and every child process the
 * workers start is in `children` (`slots` of them): both go at dispose(), or when the process exits.
 * `startsProcesses`: processes that left their script's process group (setsid, a double fork) still carry
 * the run's tag, and are found by it. The directory's name says which process owns it, so that the next run
 * removes it should this process be killed before it can (orphaned-scratch.ts).
 */
export function createRunScratch(prefix: string, slots: number, startsProcesses: boolean): RunScratch {
  // A run killed outright left its directory (and maybe processes) behind: gone before this one starts.
  removeOrphanedScratch(prefix);
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), nameScratchPrefix(prefix)));
  const children = createChildTable(slots);
  const cleanup = () => {
    killRecordedChildren(children);
    if (startsProcesses) killTaggedProcesses(path.basename(tempDir));
    fs.rmSync(tempDir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  return {
    tempDir,
    children,
    dispose() {
      cleanup();
      process.off('exit', cleanup);
    },
  };
}
