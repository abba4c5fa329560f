/**
 * A scanner's content hash covers the files it imports locally, transitively: a changed helper module is a
 * changed scanner (a resumed run would otherwise mix days computed by two versions of the code). Imports are
 * found by pattern, not by running the file: relative specifiers in JS/TS (`import`, `export … from`,
 * `import()`, `require()`), sibling modules in Python (`import helper`, `from helper import x`, `from . import x`)
 * and `source`/`.` in shell scripts. Files of barwise itself and packages are left out: the tool version covers them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PROJECT_ROOT } from '../data/bundled-store.js';

const JS_PATTERNS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const JS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const BARWISE_SRC = path.join(PROJECT_ROOT, 'src') + path.sep;

export interface ScannerHash {
  sha256: string;
  /** The scanner and its local imports, relative to the scanner's folder, sorted. */
  files: string[];
}

export interface ScannerFile {
  /** Absolute path on this machine. */
  file: string;
  /** Relative to the scanner's folder, `/`-separated (`helper.ts`, `../lib/x.ts`). */
  relative: string;
  bytes: Buffer;
  sha256: string;
}

export function hashScanner(file: string): ScannerHash {
  const files = readScannerFiles(file);
  return { sha256: hashScannerFiles(files), files: files.map((f) => f.relative) };
}

/** The scanner and the files it imports locally, transitively, each read once, sorted by relative path. */
export function readScannerFiles(file: string): ScannerFile[] {
  const root = path.dirname(path.resolve(file));
  const seen = new Map<string, Buffer>();
  const queue = [path.resolve(file)];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    const bytes = fs.readFileSync(f);
    seen.set(f, bytes);
    for (const dep of findLocalImports(f, bytes.toString('utf8'))) if (!seen.has(dep)) queue.push(dep);
  }
  return [...seen].map(([f, bytes]) => ({
    file: f, relative: path.relative(root, f).split(path.sep).join('/'), bytes, sha256: createHash('sha256').update(bytes).digest('hex'),
  })).sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/** The scanner's hash from its files (a worker computes it again from the files it was sent). */
export function hashScannerFiles(files: readonly Pick<ScannerFile, 'relative' | 'sha256'>[]): string {
  const sorted = [...files].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return createHash('sha256').update(sorted.map((f) => `${f.relative}\0${f.sha256}\n`).join('')).digest('hex');
}

function findLocalImports(file: string, text: string): string[] {
  const dir = path.dirname(file);
  const ext = path.extname(file).toLowerCase();
  const found: string[] = [];
  if (ext === '.py') {
    for (const m of text.matchAll(/^\s*from\s+(\.*)([\w.]*)\s+import\s+([\w., ]+)/gm)) {
      const base = path.resolve(dir, ...Array(Math.max(0, m[1].length - 1)).fill('..'));
      if (m[2]) found.push(...pythonModule(base, m[2]));
      else for (const name of m[3].split(',')) found.push(...pythonModule(base, name.trim()));
    }
    for (const m of text.matchAll(/^\s*import\s+([\w., ]+)/gm)) {
      for (const name of m[1].split(',')) found.push(...pythonModule(dir, name.trim().split(/\s+/)[0]));
    }
  } else if (ext === '.sh' || ext === '') {
    for (const m of text.matchAll(/^\s*(?:source|\.)\s+["']?(\.{1,2}\/[^\s"';]+)/gm)) found.push(...existing([path.resolve(dir, m[1])]));
  }
  if (JS_EXTENSIONS.includes(ext) || ext === '') {
    for (const re of JS_PATTERNS) {
      for (const m of text.matchAll(re)) if (m[1].startsWith('./') || m[1].startsWith('../')) found.push(...jsModule(dir, m[1]));
    }
  }
  return found.filter((f) => !f.startsWith(BARWISE_SRC) && !f.split(path.sep).includes('node_modules'));
}

function jsModule(dir: string, spec: string): string[] {
  const p = path.resolve(dir, spec);
  const stem = p.replace(/\.(m|c)?jsx?$/, '');
  return existing([p, ...JS_EXTENSIONS.map((e) => stem + e), ...JS_EXTENSIONS.map((e) => path.join(p, `index${e}`))]).slice(0, 1);
}

function pythonModule(base: string, dotted: string): string[] {
  if (!/^[\w.]+$/.test(dotted)) return [];
  const p = path.join(base, ...dotted.split('.'));
  return existing([`${p}.py`, path.join(p, '__init__.py')]).slice(0, 1);
}

function existing(candidates: string[]): string[] {
  return candidates.filter((c) => {
    try {
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}
