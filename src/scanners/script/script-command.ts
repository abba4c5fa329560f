/**
 * How a legacy script is started: `.ts` with tsx (also scripts written for `npx ts-node`), `.js`/`.cjs`/`.mjs`
 * with node, `.py` with python3, anything else directly (it must be executable). JavaScript and TypeScript
 * scripts can import barwise's own dependencies (better-sqlite3 above all) from wherever they live.
 */
import { resolveTsxLoaderUrl } from '../tsx-loader.js';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../package-paths.js';
import { checkDirectScript } from './check-script.js';

// barwise's dependencies: its own node_modules in a clone, the node_modules it was installed into otherwise.
const NODE_MODULES = [path.join(PACKAGE_ROOT, 'node_modules'), path.dirname(path.resolve(PACKAGE_ROOT))]
  .filter((dir) => path.basename(dir) === 'node_modules');
const FALLBACK_RESOLVER = new URL('./resolve-from-barwise.mjs', import.meta.url).href;

export interface ScriptCommand {
  command: string;
  args: string[];
  /** Extra environment: NODE_PATH lets require() find barwise's node_modules too. */
  env: Record<string, string>;
}

export function scriptCommand(file: string): ScriptCommand {
  const ext = path.extname(file).toLowerCase();
  const nodePath = [...NODE_MODULES, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const nodeEnv = { NODE_PATH: nodePath };
  switch (ext) {
    case '.ts':
    case '.mts':
    case '.cts':
      return { command: process.execPath, args: ['--import', FALLBACK_RESOLVER, '--import', resolveTsxLoaderUrl(file), file], env: nodeEnv };
    case '.js':
    case '.cjs':
    case '.mjs':
      return { command: process.execPath, args: ['--import', FALLBACK_RESOLVER, file], env: nodeEnv };
    case '.py':
      return { command: 'python3', args: [file], env: {} };
    default:
      checkDirectScript(file);
      return { command: file, args: [], env: {} };
  }
}
