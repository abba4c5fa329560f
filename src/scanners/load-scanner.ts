/**
 * One entry point for every scanner kind and mode: the worker builds a StepScanner, the main thread
 * inspects metadata (loading the scanner as a worker would, so load errors surface before the pool starts).
 */
import type { DayDb } from '../day-db/day-db.js';
import path from 'node:path';
import { ChildRegistry } from '../runtime/child-registry.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import type { ScannerKind } from '../types.js';
import { createModuleScanner, importScannerModule } from './module-scanner.js';
import { createNaiveScanner } from './naive/naive-scanner.js';
import type { ScannerMeta } from './scanner-options.js';
import { resolveScannerSource, type ScannerSource } from './scanner-source.js';
import { createScriptScanner, readScriptMeta, type ScriptMeta } from './script/script-scanner.js';
import { createSqlScanner, readSqlScannerMeta } from './sql-scanner.js';
import type { StepScanner } from './step-scanner.js';

export async function inspectScanner(file: string, dayDb: DayDb, kind?: ScannerKind): Promise<{ source: ScannerSource; meta: ScannerMeta | ScriptMeta }> {
  const source = resolveScannerSource(file, kind);
  switch (source.kind) {
    case 'sql':
      return { source, meta: createSqlScanner(source.path, dayDb).meta };
    case 'module':
      return { source, meta: (await importScannerModule(source.path)).meta };
    case 'script':
      return { source, meta: readScriptMeta(source.path) };
  }
}

export async function loadStepScanner(config: WorkerConfig, dayDb: DayDb): Promise<StepScanner> {
  const { scanner: source } = config;
  const rt = {
    tempDir: config.tempDir,
    stepTimeoutMs: config.stepTimeoutMs,
    timeframe: config.timeframe,
    persistent: config.persistent,
    // The run's temp directory is unique to it: its name tags every process the run starts.
    registry: new ChildRegistry(config.children, path.basename(config.tempDir)),
  };
  if (config.mode === 'naive') {
    const meta = source.kind === 'sql' ? readSqlScannerMeta(source.path)
      : source.kind === 'module' ? (await importScannerModule(source.path)).meta
      : readScriptMeta(source.path);
    return createNaiveScanner(source, meta, rt);
  }
  switch (source.kind) {
    case 'sql':
      return createSqlScanner(source.path, dayDb);
    case 'module':
      return createModuleScanner(source.path);
    case 'script':
      return createScriptScanner(source.path, rt);
  }
}
