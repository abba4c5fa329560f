/**
 * Refuses a run whose outputs would overwrite one of its inputs or each other, before anything is written:
 * `--out` naming the market database would replace it with JSON, `--results-db` naming it would write tables
 * into a source barwise promises never to change, `--report` naming the results database would wipe the run
 * history. Two paths are the same file when they resolve to the same place through symlinks, `..` and
 * relative spellings, or when they are hard links to one inode. An SQLite input's side files (`-wal`,
 * `-shm`, `-journal`) count as that input: overwriting them corrupts the database just the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';

/** A path a command reads or writes, with the option that named it (for the message). */
export interface NamedPath {
  /** As the user would recognise it: `--db`, `--out`, `resultsDb (batch file)`. */
  option: string;
  path: string;
  /** An SQLite database: its `-wal`, `-shm` and `-journal` files belong to it. */
  sqlite?: boolean;
}

const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/** Throws USAGE (exit 2) naming both options when an output is an input or another output. */
export function checkOutputPaths(inputs: readonly (NamedPath | null | undefined)[], outputs: readonly (NamedPath | null | undefined)[]): void {
  const ins = inputs.filter((p): p is NamedPath => Boolean(p?.path));
  const outs = outputs.filter((p): p is NamedPath => Boolean(p?.path));
  const seen: { named: NamedPath; keys: Set<string>; input: boolean }[] = ins.map((named) => ({ named, keys: identify(named), input: true }));
  for (const out of outs) {
    const keys = identify({ ...out, sqlite: false });
    for (const other of seen) {
      if (!intersects(keys, other.keys)) continue;
      const what = other.input ? 'an input of this run' : 'another output of this run';
      throw new BarwiseError('USAGE',
        `${out.option} ${out.path} is the same file as ${other.named.option} ${other.named.path} (${what}); writing it would destroy ${other.input ? 'that input' : 'the other output'}`,
        `Pass ${out.option} a path of its own; nothing was written.`);
    }
    // Later outputs must not collide with this one, nor with its side files if it is a database.
    seen.push({ named: out, keys: identify(out), input: false });
  }
}

/** Every key a path is known by: its resolved location and, for an existing file, its device and inode. */
function identify(p: NamedPath): Set<string> {
  const keys = new Set<string>();
  for (const suffix of p.sqlite ? SQLITE_SIDE_FILES : ['']) {
    const file = p.path + suffix;
    keys.add(`path:${resolveLocation(file)}`);
    const stat = statOrNull(file);
    if (stat) keys.add(`inode:${stat.dev}:${stat.ino}`);
  }
  return keys;
}

/**
 * The real path of an existing file; for a file yet to be written, the real path of its nearest existing
 * ancestor joined with the rest, so `out/../m.db` and a symlinked directory resolve as they will be written.
 */
function resolveLocation(file: string): string {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return absolute;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const k of a) if (b.has(k)) return true;
  return false;
}
