/**
 * Whether a run starts a process for every step (every bar of every ticker-day): `--mode naive` (on purpose,
 * for any scanner), or a legacy script that neither speaks the persistent protocol nor runs warm (`--no-warm`,
 * or a script check-warm.ts found cannot). Such a run costs a process start per step (~0.4 s), so the CLI warns
 * up front with the time it will take.
 */
import type { RunPlan } from './run-plan.js';

export function runsProcessPerStep(plan: Pick<RunPlan, 'scanner' | 'options'>): boolean {
  if (plan.options.mode === 'naive') return true;
  // Full-day mode runs a script once per ticker-day, not per step.
  return plan.options.mode === 'realtime' && plan.scanner.kind === 'script' && !plan.options.persistent && plan.options.warm !== true;
}
