/**
 * How the warm runner (warm-node-runner.ts) loads a legacy script, so that each step evaluates it afresh:
 * - every local file (not under node_modules) is transpiled once with esbuild to CommonJS (TypeScript and ESM
 *   syntax alike; inline source maps so stacks name the script's own lines) and compiled from that per step,
 *   its require cache entry dropped after the step: no module-level state survives a step;
 * - `./lib.js` finds `lib.ts`, as TypeScript written for ESM expects, and a tsconfig `paths` alias
 *   (`@/db`) finds its file as tsx finds it for a process per step: through the tsconfig.json of the
 *   working directory barwise runs in (or TSX_TSCONFIG_PATH), not the script's own;
 * - node_modules stay loaded (that is the speed), so better-sqlite3 is wrapped to record every Database a
 *   step opens, and closeStepDatabases() closes what the step left open;
 * - a script file that awaits at top level cannot be CommonJS: it alone is evaluated as an ES module
 *   (vm.SourceTextModule, hence the runner's --experimental-vm-modules), its imports through the same
 *   CommonJS loader, so they are fresh per step too.
 */
import fs from 'node:fs';
import path from 'node:path';
import Module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { loadEsbuild } from './load-esbuild.js';

interface InternalModule {
  _compile(code: string, filename: string): unknown;
}
const ModuleInternals = Module as unknown as {
  _extensions: Record<string, (module: InternalModule, filename: string) => void>;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _load(request: string, parent: unknown, isMain: boolean): unknown;
};

type Database = { open: boolean; close(): void };

const esbuild = loadEsbuild();
const transpiled = new Map<string, string>();
const openDatabases = new Set<Database>();
const wrappedDatabases = new WeakMap<object, unknown>();

export const isLocalFile = (file: string) => !file.split(path.sep).includes('node_modules');

export const isTopLevelAwait = (err: unknown) => /top-level await/i.test((err as { errors?: { text: string }[] }).errors?.[0]?.text ?? '');

const loaderOf = (filename: string) => (/\.[cm]?tsx?$/.test(filename) ? 'ts' : 'js');

/** A local file as CommonJS, transpiled once (esbuild's error, naming file and line, fails the step). */
export function transpileToCommonJs(filename: string): string {
  const cached = transpiled.get(filename);
  if (cached !== undefined) return cached;
  const result = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: loaderOf(filename),
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: filename,
    // import() of a local file must be re-evaluated per step too: as require, it goes through this loader.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__barwiseImportMetaUrl', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
    banner: `var __barwiseImportMetaUrl = require('node:url').pathToFileURL(__filename).href;`,
    logLevel: 'silent',
  });
  transpiled.set(filename, result.code);
  return result.code;
}

/** The script file as ES module code, for a script that awaits at top level. */
export function transpileToEsm(filename: string): string {
  return esbuild.transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: loaderOf(filename), format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', sourcefile: filename, logLevel: 'silent',
  }).code;
}

/** Evaluates the script file as the main module (`require.main === module` holds in it, as under `node script`). */
export function loadAsMain(entry: string): void {
  ModuleInternals._load(entry, null, true);
}

/** One step of an ES module script file: resolves when its evaluation (top-level awaits included) has settled. */
export function evaluateEsmEntry(entry: string, code: string, load: (specifier: string) => unknown): Promise<unknown> {
  const url = pathToFileURL(entry).href;
  const toModule = (specifier: string): vm.Module => {
    const exported = load(specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier) as Record<string, unknown>;
    const names = exported !== null && (typeof exported === 'object' || typeof exported === 'function')
      ? Object.keys(exported).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k)) : [];
    // esbuild's CommonJS output of an ES module marks itself: its default export is `.default`, not the object.
    const fallback = exported?.__esModule ? exported.default : exported;
    return new vm.SyntheticModule(['default', ...names], function (this: vm.SyntheticModule) {
      this.setExport('default', fallback);
      for (const n of names) this.setExport(n, exported[n]);
    }, { identifier: specifier });
  };
  const importDynamically = async (specifier: string) => {
    const m = toModule(specifier);
    await m.link(() => {
      throw new Error('a synthetic module imports nothing');
    });
    await m.evaluate();
    return m;
  };
  const module = new vm.SourceTextModule(code, {
    identifier: url,
    initializeImportMeta: (meta) => Object.assign(meta, { url, filename: entry, dirname: path.dirname(entry) }),
    importModuleDynamically: importDynamically as never,
  });
  return module.link(toModule).then(() => module.evaluate());
}

export function installWarmLoader(): void {
  const extensions = ModuleInternals._extensions;
  const nodeJs = extensions['.js'];
  const compileLocal = (module: InternalModule, filename: string) => {
    module._compile(transpileToCommonJs(filename), filename);
  };
  for (const ext of ['.ts', '.mts', '.cts', '.tsx', '.mjs', '.cjs']) extensions[ext] = compileLocal;
  extensions['.js'] = (module, filename) => (isLocalFile(filename) ? compileLocal(module, filename) : nodeJs(module, filename));

  const resolve = ModuleInternals._resolveFilename;
  ModuleInternals._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (err) {
      // TypeScript written for ESM imports './lib.js' for lib.ts: the TypeScript file, when the JavaScript one is absent.
      const m = /^(\.{1,2}\/.*)\.([cm]?)js$/.exec(request);
      if (m) return resolve.call(this, `${m[1]}.${m[2]}ts`, parent, isMain, options);
      const from = (parent as { filename?: string } | null)?.filename;
      const aliased = /^[^./]/.test(request) && !request.startsWith('node:') && from && isLocalFile(from)
        ? resolveThroughTsconfig(request, path.dirname(from)) : null;
      if (aliased === null) throw err;
      return aliased;
    }
  };

  const load = ModuleInternals._load;
  ModuleInternals._load = function (request, parent, isMain) {
    const exported = load.call(this, request, parent, isMain);
    if (request !== 'better-sqlite3' || typeof exported !== 'function') return exported;
    let wrapped = wrappedDatabases.get(exported);
    if (!wrapped) {
      wrapped = trackDatabases(exported as new (...args: unknown[]) => Database);
      wrappedDatabases.set(exported, wrapped);
    }
    return wrapped;
  };
}

const aliases = new Map<string, string | null>();
// Read once, as tsx reads it when a process per step starts (a step's chdir does not change it).
const TSCONFIG = path.resolve(process.env.TSX_TSCONFIG_PATH ?? 'tsconfig.json');

/** A bare specifier that a tsconfig `paths` entry maps to a local file, found as esbuild (and tsx) find it; cached. */
function resolveThroughTsconfig(request: string, fromDir: string): string | null {
  const key = `${fromDir}\0${request}`;
  if (!aliases.has(key)) {
    let found: string | null = null;
    if (fs.existsSync(TSCONFIG)) try {
      const { metafile } = esbuild.buildSync({
        stdin: { contents: `import ${JSON.stringify(request)};`, resolveDir: fromDir, loader: 'ts' }, bundle: true, write: false,
        metafile: true, packages: 'external', platform: 'node', absWorkingDir: fromDir, logLevel: 'silent', tsconfig: TSCONFIG,
      });
      const input = Object.keys(metafile!.inputs).find((k) => k !== '<stdin>');
      if (input && isLocalFile(path.resolve(fromDir, input))) found = path.resolve(fromDir, input);
    } catch {
      // no such alias either: node's own error stands
    }
    aliases.set(key, found);
  }
  return aliases.get(key)!;
}

/** better-sqlite3's Database, recording each instance (subclasses and calls without `new` included). */
function trackDatabases(Database: new (...args: unknown[]) => Database): unknown {
  function TrackedDatabase(this: unknown, ...args: unknown[]) {
    const db = Reflect.construct(Database, args, new.target ?? TrackedDatabase);
    openDatabases.add(db);
    return db;
  }
  Object.setPrototypeOf(TrackedDatabase, Database); // statics such as Database.SqliteError
  TrackedDatabase.prototype = Database.prototype;
  return TrackedDatabase;
}

/** Closes every better-sqlite3 connection the step opened and left open. */
export function closeStepDatabases(): void {
  for (const db of openDatabases) {
    try {
      if (db.open) db.close();
    } catch {
      // best effort: a connection that cannot close holds nothing a later step reads
    }
  }
  openDatabases.clear();
}
