/**
 * Inside one worker process: a shard marked `alone` (lost-shard.ts) runs with no other shard running beside
 * it, so that if the process dies, the death is its own. Shards taken while one waits to run alone, or runs,
 * wait their turn (they hold their job but run nothing).
 */
export class RunAloneGate {
  private running = 0;
  private aloneRunning = false;
  private aloneWaiting = 0;
  private waiters: (() => void)[] = [];

  /** Resolves once the shard may run; call the returned function when it ends. */
  async enter(alone: boolean): Promise<() => void> {
    if (alone) this.aloneWaiting++;
    while (alone ? this.running > 0 || this.aloneRunning : this.aloneRunning || this.aloneWaiting > 0) {
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (alone) {
      this.aloneWaiting--;
      this.aloneRunning = true;
    }
    this.running++;
    return () => {
      this.running--;
      if (alone) this.aloneRunning = false;
      for (const w of this.waiters.splice(0)) w();
    };
  }
}
