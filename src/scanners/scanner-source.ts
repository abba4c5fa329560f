/**
 * Which kind of scanner a file is, decided once from its extension, with errors that say what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import type { ScannerKind } from '../types.js';

export const SCANNER_EXTENSIONS = {
  sql: ['.sql'],
  module: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
} as const satisfies Record<ScannerKind, readonly string[]>;

export interface ScannerSource {
  /** Absolute path. */
  path: string;
  kind: ScannerKind;
}

export function resolveScannerSource(file: string): ScannerSource {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) {
    throw new BarwiseError('SCANNER_NOT_FOUND', `scanner file not found: ${file}`,
      'Pass --scanner with the path of a .sql, .ts or .js scanner; examples are in scanners/.');
  }
  if (!fs.statSync(abs).isFile()) {
    throw new BarwiseError('SCANNER_NOT_FOUND', `scanner is not a file: ${file}`, 'Pass --scanner with a file, not a directory.');
  }
  const ext = path.extname(abs).toLowerCase();
  for (const [kind, exts] of Object.entries(SCANNER_EXTENSIONS) as [ScannerKind, readonly string[]][]) {
    if (exts.includes(ext)) return { path: abs, kind };
  }
  throw new BarwiseError('SCANNER_KIND',
    `cannot tell what kind of scanner ${file} is (extension "${ext || 'none'}")`,
    `Use .sql for an SQL scanner or ${SCANNER_EXTENSIONS.module.join('/')} for a module scanner. Legacy script scanners (any language, reading DATABASE_PATH) are not supported yet.`);
}
