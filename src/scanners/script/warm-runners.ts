/**
 * The warm runner of each script language: a language without one runs a process per step, with the notice
 * its entry gives.
 */
import { createWarmNodeScript } from './warm-node-script.js';
import { createWarmPythonScript } from './warm-python.js';
import type { WarmScriptFactory } from './warm-script.js';

export type ScriptLanguage = 'node' | 'python';

/** Warm runners by language; a language without one runs a process per step, with this notice. */
export const WARM_RUNNERS: Record<ScriptLanguage, WarmScriptFactory | { unavailable: string }> = {
  node: createWarmNodeScript,
  python: createWarmPythonScript,
};

/** The language of a script barwise starts itself, by extension; null for a file run directly. */
export function readScriptLanguage(file: string): ScriptLanguage | null {
  const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) return 'node';
  if (ext === '.py') return 'python';
  return null;
}
