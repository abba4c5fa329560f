/**
 * A run killed outright (SIGKILL, the OOM killer, a container stopped) cannot remove its scratch directory or
 * end the script processes it started. So each scratch directory's name says who owns it (this host, this
 * process), and a run starting removes the directories of owners that are gone, after killing whatever they
 * left running: killed runs do not pile directories up in the temp dir, nor processes on the machine.
 * Directories of another host (a temp dir shared between containers) or of a live process are left alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killTaggedProcesses } from '../runtime/child-registry.js';

/** Short and safe in a file name; the pid alone is not an owner where pid namespaces share a temp dir. */
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);

/** The mkdtemp prefix of a scratch directory this process owns: `PREFIX<host>-<pid>-`. */
export function nameScratchPrefix(prefix: string): string {
  return `${prefix}${HOST}-${process.pid}-`;
}

/** Removes the `prefix` scratch directories in `dir` whose owner process (on this host) has ended; their names. */
export function removeOrphanedScratch(prefix: string, dir = os.tmpdir()): string[] {
  const own = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${HOST}-(\\d+)-[^/]+$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(own.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue;
    try {
      // Its scripts' processes carry the directory's name as their tag (child-registry.ts).
      killTaggedProcesses(name);
      fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Not ours to remove (another user's), or removed by another run at the same moment.
    }
  }
  return removed;
}

/** Whether process `pid` exists: EPERM is a live process of another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
