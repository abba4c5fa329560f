/**
 * One entry point for every scanner kind and mode: the worker builds a StepScanner, the main thread
 * inspects metadata (loading the scanner as a worker would, so load errors surface before the pool starts).
 * What differs by kind is in the registry of kinds (scanner-kinds.ts).
 */
import type { DayDb } from '../day-db/day-db.js';
import path from 'node:path';
import { ChildRegistry } from '../runtime/child-registry.js';
import type { WorkerConfig } from '../runtime/task-types.js';
import type { ScannerKind } from '../types.js';
import { createNaiveScanner } from './naive/naive-scanner.js';
import { SCANNER_KIND_ADAPTERS, type ScannerKindAdapter } from './scanner-kinds.js';
import type { ScannerMeta } from './scanner-options.js';
import { resolveScannerSource, type ScannerSource } from './scanner-source.js';
import type { ScriptMeta } from './script/script-scanner.js';
import type { StepScanner } from './step-scanner.js';

export async function inspectScanner(file: string, dayDb: DayDb, kind?: ScannerKind): Promise<{ source: ScannerSource; meta: ScannerMeta | ScriptMeta }> {
  const source = resolveScannerSource(file, kind);
  return { source, meta: await adapterOf(source).inspect(source.path, dayDb) };
}

export async function loadStepScanner(config: WorkerConfig, dayDb: DayDb): Promise<StepScanner> {
  const { scanner: source } = config;
  const rt = {
    tempDir: config.tempDir,
    stepTimeoutMs: config.stepTimeoutMs,
    timeframe: config.timeframe,
    persistent: config.persistent,
    allowWrites: config.allowScannerWrites === true,
    warm: config.warm,
    // The run's temp directory is unique to it: its name tags every process the run starts.
    registry: new ChildRegistry(config.children, path.basename(config.tempDir)),
  };
  const adapter = adapterOf(source);
  const params = config.params ?? {};
  if (config.mode === 'naive') return createNaiveScanner(source, await adapter.readMeta(source.path), rt, params);
  return adapter.create(source.path, dayDb, rt, params);
}

function adapterOf(source: ScannerSource): ScannerKindAdapter {
  return SCANNER_KIND_ADAPTERS[source.kind];
}
