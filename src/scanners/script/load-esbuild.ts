/**
 * The esbuild that tsx ships (barwise depends on tsx, not on esbuild itself), found through tsx's own
 * package.json so that it is the copy tsx resolves wherever npm placed it. Used to read a legacy script's
 * imports (check-warm.ts) and to transpile it for the warm runner (warm-node-runner.ts).
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { BarwiseError } from '../../errors.js';

export type Esbuild = typeof import('esbuild');

let esbuild: Esbuild | undefined;

export function loadEsbuild(): Esbuild {
  if (esbuild) return esbuild;
  const require = createRequire(import.meta.url);
  let tsxPackage: string;
  try {
    tsxPackage = require.resolve('tsx/package.json');
  } catch {
    throw new BarwiseError('SCANNER_LOAD', 'warm execution of scripts needs esbuild, which comes with tsx, and tsx is not installed',
      'Reinstall barwise with its dependencies, or run with --no-warm (a process per step).');
  }
  esbuild = createRequire(path.join(path.dirname(tsxPackage), 'package.json'))('esbuild') as Esbuild;
  return esbuild;
}
