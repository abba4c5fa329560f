/**
 * `--scanner opening-range-breakout`: a bare name (no directory, the file not found as a path) is one of the
 * example scanners shipped in the package's scanners/ directory, with or without its extension. A path is
 * always a path, resolved from the current directory; the name lookup only runs when that finds nothing, so a
 * user's own `gap-up-hold.sql` in the current directory is never shadowed by the shipped one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { findClosestWord } from '../text/closest-word.js';
import { SCANNER_EXTENSIONS } from './scanner-extensions.js';

export const SHIPPED_SCANNER_DIR = path.join(PACKAGE_ROOT, 'scanners');

/** The shipped examples' file names (not the legacy/ scripts, which take extra flags), sorted. */
export function listShippedScanners(): string[] {
  const extensions: readonly string[] = Object.values(SCANNER_EXTENSIONS).flat();
  try {
    return fs.readdirSync(SHIPPED_SCANNER_DIR, { withFileTypes: true })
      .filter((e) => e.isFile() && extensions.includes(path.extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Whether `scanner` reads as a name rather than a path: no directory part. */
function isBareName(scanner: string): boolean {
  return !/[\\/]/.test(scanner) && scanner !== '.' && scanner !== '..';
}

/**
 * The file `scanner` names: itself when it exists (or is a path), else the shipped example of that name.
 * `base`: the directory a path is relative to (a batch file's), else the current directory, and the path is
 * returned as given. Throws SCANNER_NOT_FOUND listing the shipped names when a bare name matches none of them.
 */
export function resolveScannerPath(scanner: string, base?: string): string {
  const asPath = base === undefined ? scanner : path.resolve(base, scanner);
  if (fs.existsSync(asPath) || !isBareName(scanner)) return asPath;
  const shipped = listShippedScanners();
  const stem = (f: string) => f.slice(0, f.length - path.extname(f).length);
  const match = shipped.find((f) => f === scanner) ?? shipped.find((f) => stem(f) === scanner);
  if (match) return path.join(SHIPPED_SCANNER_DIR, match);
  const close = findClosestWord(scanner, shipped.map(stem)) ?? findClosestWord(scanner, shipped);
  throw new BarwiseError('SCANNER_NOT_FOUND',
    `scanner not found: ${scanner} is neither a file here nor a shipped example${close ? `; did you mean ${close}?` : ''}`,
    describeShippedScanners());
}

/** The hint of a scanner that cannot be found: what to pass, and the shipped examples by name and place. */
export function describeShippedScanners(): string {
  const names = listShippedScanners().map((f) => f.slice(0, f.length - path.extname(f).length));
  return `Pass --scanner with the path of a .sql, .ts or .js scanner, or the name of a shipped example: ${names.join(', ')} (in ${SHIPPED_SCANNER_DIR}).`;
}
