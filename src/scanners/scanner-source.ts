/**
 * Which kind of scanner a file is, decided once from its extension, with errors that say what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BarwiseError } from '../errors.js';
import type { ScannerKind } from '../types.js';
import { describeShippedScanners, resolveScannerPath } from './shipped-scanners.js';
import { SCANNER_EXTENSIONS, SCANNER_KINDS } from './scanner-extensions.js';

export { SCANNER_EXTENSIONS, SCANNER_KINDS };

export interface ScannerSource {
  /** Absolute path. */
  path: string;
  kind: ScannerKind;
}

/**
 * A bare name is a shipped example (shipped-scanners.ts). Decides the kind: `kind` when given (--scanner-kind), else by extension. A .ts/.js file that mentions
 * DATABASE_PATH is a legacy script (it reads the database itself and prints JSON), not a module scanner:
 * importing it as a module would run its main code.
 */
export function resolveScannerSource(file: string, kind?: ScannerKind): ScannerSource {
  const abs = path.resolve(resolveScannerPath(file));
  if (!fs.existsSync(abs)) throw new BarwiseError('SCANNER_NOT_FOUND', `scanner file not found: ${file}`, describeShippedScanners());
  if (!fs.statSync(abs).isFile()) {
    throw new BarwiseError('SCANNER_NOT_FOUND', `scanner is not a file: ${file}`, 'Pass --scanner with a file, not a directory.');
  }
  if (kind) return { path: abs, kind };
  const ext = path.extname(abs).toLowerCase();
  if ((SCANNER_EXTENSIONS.sql as readonly string[]).includes(ext)) return { path: abs, kind: 'sql' };
  if ((SCANNER_EXTENSIONS.module as readonly string[]).includes(ext)) {
    return { path: abs, kind: fs.readFileSync(abs, 'utf8').includes('DATABASE_PATH') ? 'script' : 'module' };
  }
  if ((SCANNER_EXTENSIONS.script as readonly string[]).includes(ext) || isExecutable(abs) || hasShebang(abs)) return { path: abs, kind: 'script' };
  throw new BarwiseError('SCANNER_KIND',
    `cannot tell what kind of scanner ${file} is (extension "${ext || 'none'}")`,
    `Use .sql for an SQL scanner, ${SCANNER_EXTENSIONS.module.join('/')} for a module scanner, or .py or an executable file for a legacy script; --scanner-kind sets the kind explicitly.`);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A `#!` file is a script even without its execute bit: the script checks then say to `chmod +x` it. */
function hasShebang(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } finally {
    fs.closeSync(fd);
  }
}
