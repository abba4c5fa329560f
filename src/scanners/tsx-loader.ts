/**
 * The file URL of tsx's loader, for `node --import` in child processes and worker threads. Found through
 * tsx's package.json rather than import.meta.resolve: inside a Node 20 worker thread, import.meta.resolve
 * goes through the off-thread loader and can block the worker for good. Looked up on first use, not on
 * load: compiled barwise runs JavaScript scanners with no tsx installed at all.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BarwiseError } from '../errors.js';

let url: string | undefined;

/** `file` is what needs TypeScript (named in the error when tsx is not installed). */
export function resolveTsxLoaderUrl(file: string): string {
  if (url) return url;
  let pkgJson: string;
  try {
    pkgJson = createRequire(import.meta.url).resolve('tsx/package.json');
  } catch {
    throw new BarwiseError('SCANNER_LOAD', `${file} is TypeScript, and tsx (which barwise loads TypeScript with) is not installed`,
      'Reinstall barwise with its dependencies (tsx is one of them), or write the scanner as .js or .sql.');
  }
  url = pathToFileURL(path.join(path.dirname(pkgJson), 'dist', 'loader.mjs')).href;
  return url;
}
