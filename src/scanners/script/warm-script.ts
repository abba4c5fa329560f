/**
 * A legacy run-once script executed warm: one long-lived runner per worker thread re-runs the script per
 * step instead of starting a process per step. Each language has its own runner; they all answer this
 * (warm-runners.ts says which runner a script's language has).
 */
import type { ChildRegistry } from '../../runtime/child-registry.js';

export interface WarmScript {
  /** One step: the script re-run with `env` (as scriptEnv builds it) → its raw signals, as runScriptOnce
   *  resolves them; rejects with BarwiseError SCANNER_THREW / SCANNER_TIMEOUT / SCANNER_BAD_OUTPUT. After a
   *  timeout the runner is killed and the next run() starts a fresh one. */
  run(env: Record<string, string>, timeoutMs: number): Promise<unknown[]>;
  stop(): void;
}

export type WarmScriptFactory = (file: string, o: { label: string; registry?: ChildRegistry }) => WarmScript;
