/**
 * The registry of scanner kinds: how each kind's declarations are read and how a worker builds the scanner
 * it steps through a day. Which kind a file is comes from scanner-source.ts (its extension); everything after
 * that goes through this table, so a new kind is one adapter file plus one line here (and its extensions).
 */
import type { DayDb } from '../day-db/day-db.js';
import type { ScannerKind } from '../types.js';
import { createModuleScanner, importScannerModule } from './module-scanner.js';
import type { ScannerMeta } from './scanner-options.js';
import type { ScannerParams } from './scanner-params.js';
import { createScriptScanner, readScriptMeta, type ScriptMeta, type ScriptRuntime } from './script/script-scanner.js';
import { checkScriptSyntax } from './script/check-script.js';
import { createSqlScanner, readSqlScannerMeta } from './sql-scanner.js';
import type { StepScanner } from './step-scanner.js';

export interface ScannerKindAdapter {
  /** What the scanner declares about itself, loaded as a worker would load it, so load errors surface early. */
  inspect(file: string, dayDb: DayDb): Promise<ScannerMeta | ScriptMeta> | ScannerMeta | ScriptMeta;
  /** Its declarations alone, without a day database (the naive mode's child process replays the day itself). */
  readMeta(file: string): Promise<ScannerMeta | ScriptMeta> | ScannerMeta | ScriptMeta;
  /** The scanner a worker steps through each ticker-day, for the run's resolved parameter values. */
  create(file: string, dayDb: DayDb, rt: ScriptRuntime, params: ScannerParams): Promise<StepScanner> | StepScanner;
}

export const SCANNER_KIND_ADAPTERS = {
  sql: {
    inspect: (file, dayDb) => createSqlScanner(file, dayDb).meta,
    readMeta: (file) => readSqlScannerMeta(file),
    create: (file, dayDb, _rt, params) => createSqlScanner(file, dayDb, params),
  },
  module: {
    inspect: async (file) => (await importScannerModule(file)).meta,
    readMeta: async (file) => (await importScannerModule(file)).meta,
    create: (file, _dayDb, _rt, params) => createModuleScanner(file, params),
  },
  script: {
    inspect: (file) => {
      const meta = readScriptMeta(file);
      checkScriptSyntax(file); // once, on the main thread, before any worker starts it
      return meta;
    },
    readMeta: (file) => readScriptMeta(file),
    create: (file, _dayDb, rt, params) => createScriptScanner(file, rt, params),
  },
} as const satisfies Record<ScannerKind, ScannerKindAdapter>;
