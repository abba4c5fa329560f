/**
 * `--mode naive`: the slow reference flow (a fresh database and process per bar), kept on purpose as the benchmark baseline and an independent oracle.
 * For every bar: write a fresh SQLite file with the bars so far (SQLite defaults, table and index), run
 * the scanner in a fresh process against it, delete the file. Scripts run as themselves; SQL and module
 * scanners run through naive-runner, a small process per step.
 */
import { resolveTsxLoaderUrl } from '../tsx-loader.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FROM_SOURCE, resolveOwnModule } from '../../package-paths.js';
import { checkSnapshotUntouched, removeDbFiles, stampSnapshot, writeSnapshotDb } from '../../day-db/file-day-db.js';
import type { ScanResult } from '../../types.js';
import type { ScannerSource } from '../scanner-source.js';
import type { DayState, StepScanner } from '../step-scanner.js';
import type { ScannerMeta } from '../scanner-options.js';
import type { ScannerParams } from '../scanner-params.js';
import { keepTaskTicker } from '../script/parse-script-output.js';
import { runScriptOnce } from '../script/run-script-once.js';
import { scriptCommand, type ScriptCommand } from '../script/script-command.js';
import { scriptEnv } from '../script/script-env.js';
import type { ScriptRuntime } from '../script/script-scanner.js';

const RUNNER = fileURLToPath(resolveOwnModule('./naive-runner', import.meta.url));
// The runner needs tsx only to start as TypeScript; a `.ts` scanner it loads goes through tsImport.
const buildRunnerArgs = () => (FROM_SOURCE ? ['--import', resolveTsxLoaderUrl(RUNNER), RUNNER] : [RUNNER]);

export function createNaiveScanner(source: ScannerSource, meta: ScannerMeta, rt: ScriptRuntime, params: ScannerParams = {}): StepScanner {
  const cmd: ScriptCommand = source.kind === 'script'
    ? scriptCommand(source.path)
    : { command: process.execPath, args: buildRunnerArgs(), env: { BARWISE_SCANNER: source.path, BARWISE_SCANNER_KIND: source.kind } };
  const label = source.kind === 'script' ? `script ${path.basename(source.path)}` : `naive runner for ${path.basename(source.path)}`;
  // This worker's snapshots in a directory of their own: a script never finds another worker's snapshot
  // (another ticker, further in its day) next to its DATABASE_PATH.
  let dir = '';
  const checkWrites = source.kind === 'script' && rt.allowWrites !== true;
  return {
    meta,
    close() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = '';
    },
    async scan(day: DayState, index: number): Promise<ScanResult> {
      dir ||= fs.mkdtempSync(path.join(rt.tempDir, 'snapshots-'));
      const file = path.join(dir, `naive-${day.ticker.replace(/[^A-Za-z0-9._-]/g, '_')}-${day.date}-${index}.db`);
      writeSnapshotDb(file, day.bars, index, rt.timeframe, day.context);
      try {
        // SQL and module scanners read it through a read-only connection; a script may write, as in realtime mode.
        const stamp = checkWrites ? stampSnapshot(file) : '';
        const env = { ...scriptEnv(file, day.ticker, day.date, day.bars[index], params), BARWISE_REFERENCES: day.context.references.join(','), BARWISE_TIMEFRAME: rt.timeframe };
        const raw = await runScriptOnce(cmd, { env, timeoutMs: rt.stepTimeoutMs, registry: rt.registry, label });
        if (checkWrites) checkSnapshotUntouched(file, stamp, day.bars, index, rt.timeframe, day.context);
        return keepTaskTicker(raw, day.ticker) as ScanResult;
      } finally {
        removeDbFiles(file);
      }
    },
  };
}
