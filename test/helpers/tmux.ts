import { execFileSync } from 'node:child_process';

/** Whether tmux is installed: the tests that drive a real terminal are skipped without it. */
export const HAS_TMUX = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
