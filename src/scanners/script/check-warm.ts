/**
 * Whether a legacy script can run warm (warm-node-runner.ts), decided once on the main thread before a run
 * starts, from its source and everything it imports (read with esbuild, which follows the local imports the
 * way the runner will load them). It cannot when re-running it in one process would not be the same as a
 * fresh process per step:
 * - it starts processes (`child_process`, `cluster`): what it starts would outlive the step's bookkeeping;
 * - it reads stdin: a process per step gets an empty stdin, a runner has none to give;
 * - it loads a native addon other than better-sqlite3 (whose connections the runner closes after each
 *   step): an addon's state would carry over, and it cannot be unloaded;
 * - it imports an ESM-only package, or a module it imports awaits at top level: the runner loads a script's
 *   modules as CommonJS (only the script file itself may await at top level: it then runs as an ES module).
 * Static on purpose: a reason is known before any step runs, so `--warm` refuses up front and auto says once
 * why it falls back, instead of a run that changes how it executes half way through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { loadEsbuild, type Esbuild } from './load-esbuild.js';
import { WARM_RUNNERS, readScriptLanguage } from './warm-runners.js';
import { checkWarmPython } from './check-warm-python.js';

/** `expected`: the script is of a kind that never runs warm (a shell script), so falling back is no news. */
export type WarmCheck = { ok: true } | { ok: false; reason: string; expected?: boolean };

const SPAWNING = new Set(['child_process', 'cluster']);
const READS_STDIN = /\bprocess\s*\.\s*stdin\b|['"]\/dev\/stdin['"]|readFileSync\(\s*0\s*[,)]/;
const LOADS_ADDON = /\bprocess\s*\.\s*dlopen\b|require\(\s*['"][^'"]+\.node['"]\s*\)/;
/** The one native addon the runner knows how to clean up after. */
const KNOWN_ADDONS = new Set(['better-sqlite3']);
const ADDON_HELPERS = ['bindings', 'node-gyp-build', 'prebuild-install', 'node-addon-api', 'nan', 'node-pre-gyp', '@mapbox/node-pre-gyp'];

export function checkWarmScript(file: string): WarmCheck {
  const language = readScriptLanguage(file);
  if (language === null) return { ok: false, reason: 'only JavaScript, TypeScript and Python scripts can run warm', expected: true };
  const runner = WARM_RUNNERS[language];
  if ('unavailable' in runner) return { ok: false, reason: runner.unavailable };
  if (language === 'python') {
    const py = checkWarmPython(file);
    return py.ok ? { ok: true } : { ok: false, reason: py.why };
  }
  let esbuild: Esbuild;
  try {
    esbuild = loadEsbuild();
  } catch {
    return { ok: false, reason: 'esbuild, which comes with tsx, is not installed' };
  }
  const root = path.dirname(path.resolve(file));
  // tsconfig `paths` as tsx and the warm runner resolve them: through the working directory's tsconfig.json.
  const tsconfig = path.resolve(process.env.TSX_TSCONFIG_PATH ?? 'tsconfig.json');
  const build = (format: 'cjs' | 'esm') => esbuild.buildSync({
    entryPoints: [file], bundle: true, write: false, metafile: true, packages: 'external', platform: 'node', format,
    target: 'node20', logLevel: 'silent', absWorkingDir: root, supported: { 'dynamic-import': false },
    ...(fs.existsSync(tsconfig) ? { tsconfig } : {}),
    external: ['*.node'], // an addon is named below, whether or not it is built
  }).metafile!;
  let metafile: import('esbuild').Metafile;
  try {
    try {
      metafile = build('cjs');
    } catch (err) {
      if (!isTopLevelAwait(err)) throw err;
      metafile = build('esm');
      for (const input of Object.keys(metafile.inputs)) {
        const abs = path.resolve(root, input);
        if (abs === path.resolve(file)) continue;
        try {
          esbuild.transformSync(fs.readFileSync(abs, 'utf8'), { loader: /\.[cm]?tsx?$/.test(abs) ? 'ts' : 'js', format: 'cjs', logLevel: 'silent' });
        } catch (inner) {
          if (isTopLevelAwait(inner)) return { ok: false, reason: `a module it imports awaits at top level (${path.relative(process.cwd(), abs) || abs})` };
        }
      }
    }
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
    const text = first?.text ?? (err instanceof Error ? err.message : String(err));
    // A syntax error or a missing local import: a process per step reports it as node does.
    const where = first?.location ? `${path.relative(process.cwd(), path.resolve(root, first.location.file))}:${first.location.line}: ` : '';
    return { ok: false, reason: `its source could not be read (${where}${text})` };
  }
  for (const [input, info] of Object.entries(metafile.inputs)) {
    const abs = path.resolve(root, input);
    const source = fs.readFileSync(abs, 'utf8');
    const where = path.relative(process.cwd(), abs) || abs;
    if (READS_STDIN.test(source)) return { ok: false, reason: `it reads stdin (${where})` };
    if (LOADS_ADDON.test(source)) return { ok: false, reason: `it loads a native addon (${where})` };
    for (const imp of info.imports) {
      if (!imp.external || imp.path.startsWith('.') || path.isAbsolute(imp.path)) continue;
      const name = imp.path.replace(/^node:/, '');
      const pkg = packageName(name);
      if (SPAWNING.has(pkg)) return { ok: false, reason: `it starts processes (${where} imports ${imp.path})` };
      if (builtinModules.includes(pkg) || imp.path.startsWith('node:') || KNOWN_ADDONS.has(pkg)) continue;
      const dir = findPackageDir(pkg, abs);
      if (dir === null) continue; // not installed: the script fails as it would in a process of its own
      const why = describePackage(dir);
      if (why) return { ok: false, reason: `it imports ${pkg}, ${why}` };
    }
  }
  return { ok: true };
}

function isTopLevelAwait(err: unknown): boolean {
  return /top-level await/i.test((err as { errors?: { text: string }[] }).errors?.[0]?.text ?? '');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package's folder as node would find it from `from` (then barwise's NODE_PATH), or null. */
function findPackageDir(pkg: string, from: string): string | null {
  const roots: string[] = [];
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    roots.push(path.join(dir, 'node_modules'));
    if (path.dirname(dir) === dir) break;
  }
  roots.push(...(process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const r of roots) {
    const dir = path.join(r, pkg);
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return null;
}

/** Why a package cannot be loaded warm: a native addon, or ESM only; null when it can. */
function describePackage(dir: string): string | null {
  let json: { gypfile?: boolean; type?: string; main?: string; exports?: unknown; dependencies?: Record<string, string> };
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  if (json.gypfile || fs.existsSync(path.join(dir, 'binding.gyp')) || ADDON_HELPERS.some((h) => json.dependencies?.[h])) {
    return 'a native addon';
  }
  if (json.type === 'module' && !hasRequireEntry(json.exports) && !(json.main ?? '').endsWith('.cjs')) return 'an ESM-only package';
  return null;
}

function hasRequireEntry(exports: unknown): boolean {
  if (!exports || typeof exports !== 'object') return false;
  return JSON.stringify(exports).includes('"require"') || JSON.stringify(exports).includes('.cjs"');
}
