/**
 * The file URL of tsx's loader, for `node --import` in child processes and worker threads. Found through
 * tsx's package.json rather than import.meta.resolve: inside a Node 20 worker thread, import.meta.resolve
 * goes through the off-thread loader and can block the worker for good.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const pkgJson = createRequire(import.meta.url).resolve('tsx/package.json');

export const TSX_LOADER_URL: string = pathToFileURL(path.join(path.dirname(pkgJson), 'dist', 'loader.mjs')).href;
