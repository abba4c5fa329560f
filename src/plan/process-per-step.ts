/**
 * Whether a run's scanner starts a process for every step (every bar of every ticker-day): a legacy script
 * without the persistent protocol. Such a run costs a process start per step (~0.4 s), so the CLI warns up
 * front with the time it will take. One function, so that every way a script comes to run warm narrows it here.
 */
import type { RunPlan } from './run-plan.js';

export function runsProcessPerStep(plan: Pick<RunPlan, 'scanner' | 'options'>): boolean {
  return plan.scanner.kind === 'script' && !plan.options.persistent;
}
