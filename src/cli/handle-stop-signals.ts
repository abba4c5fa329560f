/**
 * Ctrl-C (SIGINT) and SIGTERM while a command runs (backtest, audit, sweep): the first signal clears the
 * progress bar for good, says what is kept, and aborts the run through its AbortSignal, so the engine stops at
 * the next ticker-day boundary and records what finished; a second signal quits at once (quitBySignal). The
 * exit code the command then returns is the signal's (130 or 143), as a shell reports a process it stopped.
 */
import type { ProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';
import { quitBySignal } from './exit-now.js';

export interface StopSignals {
  /** Aborted at the first signal: handed to the engine as `hooks.signal`. */
  signal: AbortSignal;
  /** The exit code of a run the signal stopped: 130 after SIGINT (and before any signal), 143 after SIGTERM. */
  readonly stopCode: number;
  /** Stops listening: called when the command ends, however it ends. */
  dispose(): void;
}

/** `kept`: what the notice says is kept, e.g. "finished ticker-days are kept". */
export function handleStopSignals(progress: ProgressView, what: string, kept: string): StopSignals {
  const controller = new AbortController();
  let signals = 0;
  let stopCode: number = EXIT.interrupted;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    stopCode = name === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    if (signals > 1) quitBySignal(name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    // The bar goes first, for good: the notice and the command's summary are then the only lines printed.
    progress.close();
    process.stderr.write(`barwise: ${name} received, stopping${what}; ${kept} (press again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get stopCode() {
      return stopCode;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
