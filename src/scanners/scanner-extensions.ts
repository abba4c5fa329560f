/**
 * The file extensions of each scanner kind: how a scanner file's kind is told (scanner-source.ts) and how a
 * shipped example is found by its name alone (shipped-scanners.ts).
 */
import type { ScannerKind } from '../types.js';

export const SCANNER_EXTENSIONS = {
  sql: ['.sql'],
  module: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
  // Anything else that is executable is a script too; .ts/.js files that read DATABASE_PATH are scripts.
  script: ['.py', '.sh'],
} as const satisfies Record<ScannerKind, readonly string[]>;

/** Every kind, in the order of the table above (its keys): the choices of --scanner-kind. */
export const SCANNER_KINDS = Object.keys(SCANNER_EXTENSIONS) as [ScannerKind, ...ScannerKind[]];
