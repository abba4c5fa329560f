/**
 * Worker threads this process could not stop: terminating a thread only takes effect when it returns to
 * JavaScript, and one inside a native call that never returns (an SQLite query without end) never does.
 * Such a thread also keeps the process from exiting (Node joins every worker thread on exit), so the CLI
 * reads this count to know it must end the process another way once its results are written.
 */
let stuck = 0;

export function noteStuckWorkers(n: number): void {
  stuck += n;
}

/** How many worker threads of this process did not stop when they were terminated. */
export function countStuckWorkers(): number {
  return stuck;
}
