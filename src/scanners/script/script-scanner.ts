/**
 * Legacy script scanners in realtime mode: the day's bars go into a file one per step, and the script runs
 * against it, either started per step or, when it speaks the persistent protocol, started once per worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BarwiseError } from '../../errors.js';
import { FileDayDb } from '../../day-db/file-day-db.js';
import type { ChildRegistry } from '../../runtime/child-registry.js';
import type { ScanResult } from '../../types.js';
import { parseContextOptions, parseWarmup, type ScannerMeta } from '../scanner-options.js';
import { checkUniqueParams, parseParamDecl, type ParamDecl, type ScannerParams } from '../scanner-params.js';
import type { DayState, StepScanner } from '../step-scanner.js';
import { keepTaskTicker } from './parse-script-output.js';
import { PersistentScript } from './persistent-script.js';
import { runScriptOnce } from './run-script-once.js';
import { scriptCommand, type ScriptCommand } from './script-command.js';
import { persistentRequest, scriptEnv } from './script-env.js';

/** What a script scanner needs from the run. */
export interface ScriptRuntime {
  tempDir: string;
  stepTimeoutMs: number;
  timeframe: string;
  /** Use the persistent protocol (resolved on the main thread from --persistent and the script). */
  persistent: boolean;
  /** The script may write to its day file, its scratch (--allow-scanner-writes). */
  allowWrites?: boolean;
  registry?: ChildRegistry;
}

export interface ScriptMeta extends ScannerMeta {
  persistent: boolean;
}

/**
 * A script declares options in a comment near its top: `// barwise: persistent warmup=30`
 * (`#` and `--` comments work too). Parameters: `param:NAME=DEFAULT`, one token each, no spaces
 * (`// barwise: param:vol_mult=1.5 param:side='long'`), typed from the default as in an SQL header.
 */
export function readScriptMeta(file: string): ScriptMeta {
  const head = fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(0, 40);
  let persistent = false;
  let warmup: number | undefined;
  const context: Record<string, string> = {};
  const params: ParamDecl[] = [];
  for (const line of head) {
    const m = /^\s*(?:\/\/|#|--)\s*barwise:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const token of m[1].trim().split(/\s+/)) {
      if (token === 'persistent') persistent = true;
      else if (token.startsWith('warmup=')) warmup = parseWarmup(token.slice(7), `${file}: barwise: warmup`);
      else if (token.startsWith('param:')) params.push(parseParamDecl(token.slice(6), `${file}: barwise: param`));
      else if (/^(references|lookback-days|daily-bars)=/.test(token)) context[token.slice(0, token.indexOf('='))] = token.slice(token.indexOf('=') + 1);
      else if (token) {
        throw new BarwiseError('SCANNER_INVALID', `${file}: unknown barwise option "${token}"`,
          'Known options: persistent, warmup=N, references=SPY,QQQ, lookback-days=N, daily-bars=N, param:NAME=DEFAULT.');
      }
    }
  }
  const cmd = scriptCommand(file);
  if (cmd.command === 'python3') {
    const probe = spawnSync('python3', ['--version']);
    if (probe.error) throw new BarwiseError('SCANNER_LOAD', `python3 is needed to run ${file} but was not found`, 'Install Python 3 or put python3 on the PATH.');
  }
  const contextOptions = parseContextOptions({
    references: context.references, lookbackDays: context['lookback-days'], dailyBars: context['daily-bars'],
  }, `${file}: barwise:`);
  checkUniqueParams(params, file);
  // The environment spells names upper-cased: two that differ only in case would share a variable.
  checkUniqueParams(params.map((d) => ({ ...d, name: d.name.toUpperCase() })), `${file} (as BARWISE_PARAM_<NAME>)`);
  return {
    path: file, kind: 'script', name: path.basename(file, path.extname(file)), warmup, persistent, ...contextOptions,
    ...(params.length > 0 ? { params } : {}),
  };
}

export function createScriptScanner(file: string, rt: ScriptRuntime, params: ScannerParams = {}): StepScanner {
  const meta = readScriptMeta(file);
  const cmd = scriptCommand(file);
  const label = `script ${path.basename(file)}`;
  const usePersistent = rt.persistent;
  const db = new FileDayDb(rt.tempDir, rt.allowWrites === true);
  let current: DayState | null = null;
  let proc: PersistentScript | null = null;
  let restartedToday = false;

  const startProcess = async (): Promise<PersistentScript> => {
    const p = new PersistentScript(cmd, {}, rt.stepTimeoutMs, label, rt.registry);
    try {
      await p.start();
    } catch (err) {
      p.stop();
      throw err;
    }
    return p;
  };

  // A script that does not speak the protocol will not learn it on the next ticker-day: said once per worker,
  // then the same failure for each of its ticker-days without starting it again.
  let noProtocol: BarwiseError | null = null;
  const persistentStep = async (req: ReturnType<typeof persistentRequest>): Promise<unknown[]> => {
    if (noProtocol) throw noProtocol;
    for (;;) {
      try {
        proc ??= await startProcess();
        return await proc.request(req);
      } catch (err) {
        const replied = err instanceof BarwiseError && /reported an error/.test(err.message);
        if (replied) throw err; // the script is alive and said no: a failure of this step, not of the process
        if (err instanceof BarwiseError && err.code === 'SCANNER_PROTOCOL') {
          noProtocol = err;
          throw err;
        }
        proc?.stop();
        proc = null;
        // A process that died or hung is restarted once per ticker-day; a second time fails the day.
        if (restartedToday) throw err;
        restartedToday = true;
      }
    }
  };

  /** Runs the script against the day file as it stands, as of `index`. */
  const runAt = async (day: DayState, index: number): Promise<ScanResult> => {
    if (day !== current) {
      db.beginDay(day.ticker, day.date, day.bars, rt.timeframe, day.context);
      current = day;
      restartedToday = false;
    }
    db.syncTo(index);
    const bar = day.bars[index];
    const raw = usePersistent
      ? await persistentStep(persistentRequest(db.path, day.ticker, day.date, bar, params))
      : await runScriptOnce(cmd, { env: scriptEnv(db.path, day.ticker, day.date, bar, params), timeoutMs: rt.stepTimeoutMs, registry: rt.registry, label, file });
    db.assertUntouched();
    return keepTaskTicker(raw, day.ticker) as ScanResult;
  };

  return {
    meta,
    scan: runAt,
    // Full-day mode: once, with the file holding the whole day, as of its last bar.
    scanWholeDay: (day: DayState) => runAt(day, day.bars.length - 1),
    endDay() {
      db.endDay();
      current = null;
    },
    close() {
      db.close();
      proc?.stop();
      proc = null;
    },
  };
}

export type { ScriptCommand };
