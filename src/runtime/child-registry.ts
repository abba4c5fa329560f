/**
 * Child processes started by workers (legacy scripts, naive-mode runners), recorded in shared memory so the
 * main thread can kill every one still alive when a run ends or is interrupted: terminating a worker
 * thread does not end the processes it started.
 */
const SLOTS_PER_THREAD = 8;

export function createChildTable(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, threads) * SLOTS_PER_THREAD * Int32Array.BYTES_PER_ELEMENT);
}

export class ChildRegistry {
  private readonly slots: Int32Array | null;
  constructor(buffer: SharedArrayBuffer | undefined) {
    this.slots = buffer ? new Int32Array(buffer) : null;
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
