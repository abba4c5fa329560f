/**
 * Whether a legacy Python script can run warm (warm-python.ts), read from its source and the local modules
 * it imports, before the run: a script that starts processes or threads, reads stdin, installs signal or
 * exit handlers, ends the interpreter itself, writes to file descriptor 1 around sys.stdout, or whose
 * directory shadows a module the runner uses, runs a process per step instead. A heuristic over the text
 * (comments are skipped, strings are not): a false alarm costs speed, never a result, and the runner still
 * replaces itself after a step that left a process or a thread behind.
 */
import fs from 'node:fs';
import path from 'node:path';

export type WarmPythonCheck = { ok: true } | { ok: false; why: string };

/**
 * Top-level modules warm-runner.py loads beyond a bare interpreter (`python3 -I -S warm-runner.py
 * --list-imports`; a test keeps this list a superset of what the runner loads).
 */
export const RUNNER_MODULES: readonly string[] = [
  '_collections', '_collections_abc', '_datetime', '_functools', '_json', '_operator', '_posixsubprocess', '_sqlite3', '_sre',
  '_stat', '_string', '_weakrefset', 'atexit', 'collections', 'contextlib', 'copyreg', 'datetime', 'enum', 'functools', 'gc',
  'genericpath', 'importlib', 'itertools', 'json', 'keyword', 'linecache', 'logging', 'math', 'operator', 'os', 'posixpath',
  're', 'reprlib', 'runpy', 'sqlite3', 'stat', 'string', 'sysconfig', 'textwrap', 'threading', 'token', 'tokenize',
  'traceback', 'types', 'warnings', 'weakref',
];

/** Imported modules that make a script unfit to run warm, and why. */
const MODULE_REASONS: [RegExp, string][] = [
  [/^(subprocess|pty)$/, 'starts other processes'],
  [/^(multiprocessing|concurrent)$/, 'uses multiprocessing or an executor pool'],
  [/^(threading|_thread)$/, 'starts threads, which could outlive a step'],
  [/^signal$/, 'installs signal handlers or alarms, which would outlive a step'],
  [/^atexit$/, 'registers exit handlers, which run only when a process ends'],
  [/^fileinput$/, 'reads stdin'],
];

/** Calls and names that do the same without an import of their own. */
const CODE_REASONS: [RegExp, string][] = [
  [/\bos\.(system|popen|fork|forkpty|spawn\w*|exec[lv]\w*|posix_spawnp?)\s*\(/, 'starts other processes'],
  [/\bos\._exit\s*\(/, 'ends the interpreter with os._exit'],
  [/\bsys\.stdin\b|(?<![\w.])input\s*\(/, 'reads stdin'],
  // The runner captures sys.stdout; what bypasses it would be a log line, not the step's output.
  [/\bos\.write\s*\(\s*1\s*,|\bsys\.__stdout__\b|\bstdout\.fileno\s*\(/, 'writes to file descriptor 1 directly'],
];

const MAX_FILES = 200;

export function checkWarmPython(file: string): WarmPythonCheck {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (err) {
    return { ok: false, why: `its file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  const root = path.dirname(real);
  const shadow = findShadowingModule(root);
  if (shadow) return { ok: false, why: `its directory holds ${shadow}, which shadows a module the warm runner itself uses` };
  const seen = new Set<string>();
  const queue = [real];
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const current = queue.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    if (!current.endsWith('.py')) {
      return { ok: false, why: `it imports the compiled extension ${path.relative(root, current)} from its own directory, whose state cannot be reset between steps` };
    }
    let text: string;
    try {
      text = fs.readFileSync(current, 'utf8');
    } catch {
      continue; // unreadable: the script's own run says so
    }
    const where = (line: number) => `${path.relative(root, current) || path.basename(current)}:${line}`;
    const lines = text.split(/\r?\n/).map(stripComment);
    for (let i = 0; i < lines.length; i++) {
      for (const [pattern, why] of CODE_REASONS) {
        const m = pattern.exec(lines[i]);
        if (m) return { ok: false, why: `it ${why} (${m[0].replace(/\s*\(.*$/, '')} at ${where(i + 1)})` };
      }
      for (const imp of parseImports(lines[i])) {
        const top = imp.module.split('.')[0];
        for (const [pattern, why] of MODULE_REASONS) {
          if (imp.level === 0 && pattern.test(top)) return { ok: false, why: `it ${why} (import ${imp.module} at ${where(i + 1)})` };
        }
        queue.push(...resolveLocal(imp, root, path.dirname(current)));
      }
    }
  }
  return { ok: true };
}

interface Import {
  /** Dotted module name, without leading dots. */
  module: string;
  /** Leading dots of a relative import. */
  level: number;
  /** Names after `from … import`. */
  names: string[];
}

function parseImports(line: string): Import[] {
  const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?([^)]*)\)?/.exec(line);
  if (from) {
    const names = from[3].split(',').map((n) => n.trim().split(/\s+/)[0]).filter((n) => /^\w+$/.test(n));
    return [{ module: from[2], level: from[1].length, names }];
  }
  const plain = /^\s*import\s+(.+)$/.exec(line);
  if (!plain) return [];
  return plain[1].split(',').map((part) => part.trim().split(/\s+/)[0]).filter((m) => /^[\w.]+$/.test(m))
    .map((module) => ({ module, level: 0, names: [] }));
}

/** The files of the script's own directory tree an import may load (modules, packages, submodules). */
function resolveLocal(imp: Import, root: string, dir: string): string[] {
  let base = root;
  if (imp.level > 0) {
    base = dir;
    for (let l = 1; l < imp.level; l++) base = path.dirname(base);
  }
  const parts = imp.module ? imp.module.split('.') : [];
  const found: string[] = [];
  const candidates: string[][] = [];
  for (let n = 1; n <= parts.length; n++) candidates.push(parts.slice(0, n));
  for (const name of imp.names) candidates.push([...parts, name]);
  for (const c of candidates) {
    const stem = path.join(base, ...c);
    for (const f of [`${stem}.py`, path.join(stem, '__init__.py')]) if (isFile(f)) found.push(fs.realpathSync(f));
    const native = findNative(path.dirname(stem), path.basename(stem));
    if (native) found.push(native);
  }
  return found;
}

/** A module of the runner's own that a file in `root` would replace (a `json.py` next to the script). */
function findShadowingModule(root: string): string | null {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries) {
    const name = e.isDirectory() ? (isFile(path.join(root, e.name, '__init__.py')) ? e.name : '') : e.name.split('.')[0];
    const isModule = e.isDirectory() || e.name.endsWith('.py') || e.name.endsWith('.so');
    if (isModule && name && RUNNER_MODULES.includes(name)) return e.isDirectory() ? `${e.name}/` : e.name;
  }
  return null;
}

function findNative(dir: string, stem: string): string | null {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const hit = names.find((n) => n.startsWith(`${stem}.`) && n.endsWith('.so'));
  return hit ? path.join(dir, hit) : null;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
