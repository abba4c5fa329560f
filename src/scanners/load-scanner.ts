/**
 * One entry point for every scanner kind: the worker builds a StepScanner, the main thread reads metadata.
 */
import type { DayDb } from '../day-db/day-db.js';
import { createModuleScanner } from './module-scanner.js';
import type { ScannerMeta } from './scanner-options.js';
import { resolveScannerSource, type ScannerSource } from './scanner-source.js';
import { createSqlScanner } from './sql-scanner.js';
import type { StepScanner } from './step-scanner.js';

type Loader = {
  create(file: string, dayDb: DayDb): StepScanner | Promise<StepScanner>;
};

const LOADERS = {
  sql: { create: createSqlScanner },
  module: { create: (file) => createModuleScanner(file) },
} satisfies Record<ScannerSource['kind'], Loader>;

/** Loads the scanner as a worker will, so every load error surfaces before the pool starts. */
export async function inspectScanner(file: string, dayDb: DayDb): Promise<ScannerMeta> {
  const source = resolveScannerSource(file);
  const scanner = await LOADERS[source.kind].create(source.path, dayDb);
  return scanner.meta;
}

export async function loadStepScanner(source: ScannerSource, dayDb: DayDb): Promise<StepScanner> {
  return LOADERS[source.kind].create(source.path, dayDb);
}

