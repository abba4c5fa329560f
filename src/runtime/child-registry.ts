/**
 * Child processes started by workers (legacy scripts, naive-mode runners), recorded in shared memory so the
 * main thread can kill every one still alive when a run ends or is interrupted: terminating a worker
 * thread does not end the processes it started.
 */
import fs from 'node:fs';

const SLOTS_PER_THREAD = 8;

export function createChildTable(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, threads) * SLOTS_PER_THREAD * Int32Array.BYTES_PER_ELEMENT);
}

/** The variable every process a run starts carries, so one that escaped its process group is still found. */
export const RUN_TAG_VAR = 'BARWISE_RUN';

export class ChildRegistry {
  private readonly slots: Int32Array | null;
  /** Environment to give every child: the run's tag (see killTaggedProcesses). */
  readonly env: Record<string, string>;
  constructor(buffer: SharedArrayBuffer | undefined, runTag?: string) {
    this.slots = buffer ? new Int32Array(buffer) : null;
    this.env = runTag ? { [RUN_TAG_VAR]: runTag } : {};
  }

  track(pid: number | undefined): void {
    if (!this.slots || !pid) return;
    for (let i = 0; i < this.slots.length; i++) {
      if (Atomics.compareExchange(this.slots, i, 0, pid) === 0) return;
    }
  }

  untrack(pid: number | undefined): void {
    if (!this.slots || !pid) return;
    for (let i = 0; i < this.slots.length; i++) {
      if (Atomics.compareExchange(this.slots, i, pid, 0) === pid) return;
    }
  }
}

/** Main thread: SIGKILLs every recorded child. Returns how many were still alive. */
export function killRecordedChildren(buffer: SharedArrayBuffer): number {
  const slots = new Int32Array(buffer);
  let killed = 0;
  for (let i = 0; i < slots.length; i++) {
    const pid = Atomics.exchange(slots, i, 0);
    if (pid > 0) {
      killProcessTree(pid);
      killed++;
    }
  }
  return killed;
}

/**
 * Kills what is left of a process group whose leader has ended (a script's `nohup sleep &`). Only the group:
 * the leader's pid may already belong to another process, but a pid is never handed out while a group of
 * that id still has members.
 */
export function killProcessGroup(pgid: number | undefined): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // the group is empty
  }
}

/**
 * SIGKILLs every process carrying the run's tag in its environment: children that left their process group
 * (`setsid`, a double fork) and outlived it. Reads /proc (Linux); elsewhere finds nothing. Returns the pids.
 */
export function killTaggedProcesses(runTag: string): number[] {
  const needle = `${RUN_TAG_VAR}=${runTag}\0`;
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return killed;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) continue;
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return killed;
}

/**
 * Kills a script and everything it started: scripts run in their own process group (spawned detached), so a
 * shell script's `sleep` or a Python script's subprocess goes with it instead of outliving the run.
 */
export function killProcessTree(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
