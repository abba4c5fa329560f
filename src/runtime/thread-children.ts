/**
 * Threads of this process and the child processes each one started, read from /proc (Linux). A worker thread
 * stuck in a native call (an SQLite query that never ends, `execSync`) cannot be terminated, and neither the
 * thread nor what it started is recorded anywhere else: the processes a thread started are listed under
 * /proc/self/task/<tid>/children. Elsewhere these return nothing and the caller goes on without them.
 */
import fs from 'node:fs';
import { killProcessTree } from './child-registry.js';

/** Ids of this process's threads; empty where /proc is not available. */
export function listThreadIds(): number[] {
  try {
    return fs.readdirSync('/proc/self/task').map(Number).filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Pids of the processes a thread (or process, for its main thread) started directly. */
function readChildren(pid: number, tid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process and everything below it, parents first. */
function collectTree(pid: number, into: number[]): void {
  into.push(pid);
  for (const tid of listTasks(pid)) for (const child of readChildren(pid, tid)) collectTree(child, into);
}

function listTasks(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/**
 * SIGKILLs every process started by one of these threads of this process, with all their descendants (a
 * script's process group goes too). Returns how many processes were killed.
 */
export function killThreadChildren(tids: Iterable<number>): number {
  const pids: number[] = [];
  for (const tid of tids) for (const child of readChildren(process.pid, tid)) collectTree(child, pids);
  for (const pid of pids) killProcessTree(pid);
  return pids.length;
}
