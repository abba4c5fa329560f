/**
 * A legacy run-once script executed warm: one long-lived runner per worker thread re-runs the script per
 * step instead of starting a process per step. Each language has its own runner; they all answer this, and
 * the table below says which runner a script's language has.
 */
import type { ChildRegistry } from '../../runtime/child-registry.js';
import { createWarmNodeScript } from './warm-node-script.js';

export interface WarmScript {
  /** One step: the script re-run with `env` (as scriptEnv builds it) → its raw signals, as runScriptOnce
   *  resolves them; rejects with BarwiseError SCANNER_THREW / SCANNER_TIMEOUT / SCANNER_BAD_OUTPUT. After a
   *  timeout the runner is killed and the next run() starts a fresh one. */
  run(env: Record<string, string>, timeoutMs: number): Promise<unknown[]>;
  stop(): void;
}

export type WarmScriptFactory = (file: string, o: { label: string; registry?: ChildRegistry }) => WarmScript;

export type ScriptLanguage = 'node' | 'python';

/** Warm runners by language; a language without one runs a process per step, with this notice. */
export const WARM_RUNNERS: Record<ScriptLanguage, WarmScriptFactory | { unavailable: string }> = {
  node: createWarmNodeScript,
  python: { unavailable: 'warm Python runner not available' },
};

/** The language of a script barwise starts itself, by extension; null for a file run directly. */
export function readScriptLanguage(file: string): ScriptLanguage | null {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) return 'node';
  if (ext === '.py') return 'python';
  return null;
}
