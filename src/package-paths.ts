/**
 * Where barwise's own files are, whether it runs compiled (dist/src/…, dist/workers/…) or from its
 * TypeScript sources through tsx (tests and the bench import src/*.ts). Both trees have the same shape,
 * so a module one file points at is the same relative path in either; only the extension differs.
 */
import { fileURLToPath } from 'node:url';

/** True when this code runs as TypeScript (through tsx), false when it runs from dist/. */
export const FROM_SOURCE: boolean = import.meta.url.endsWith('.ts');

/** The package's root directory (holds package.json, data/, scanners/), with a trailing separator. */
export const PACKAGE_ROOT: string = fileURLToPath(new URL(FROM_SOURCE ? '../' : '../../', import.meta.url));

/**
 * The URL of one of barwise's own modules, given without extension relative to `base` (the caller's
 * import.meta.url): `.ts` next to the sources, `.js` in dist/, so a worker or child process never needs
 * TypeScript to start unless barwise itself runs from source.
 */
export function resolveOwnModule(specifier: string, base: string): URL {
  return new URL(`${specifier}${FROM_SOURCE ? '.ts' : '.js'}`, base);
}
