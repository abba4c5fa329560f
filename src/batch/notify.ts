/**
 * `--notify-command`: runs the user's command (through the shell, so pipes work: `mail -s nightly me`) with
 * the batch summary JSON on its standard input and the batch status in BARWISE_BATCH_STATUS. A notifier that
 * fails or hangs is reported, never allowed to hide the batch's own outcome.
 */
import { spawn } from 'node:child_process';
import { BarwiseError } from '../errors.js';

const NOTIFY_TIMEOUT_MS = 60_000;

export function runNotifyCommand(command: string, summary: { batch: { status: string } }, timeoutMs = NOTIFY_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      shell: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, BARWISE_BATCH_STATUS: summary.batch.status },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const fail = (why: string) => reject(new BarwiseError('NOTIFY_FAILED', `notify command ${why}: ${command}${stderr.trim() ? `\n  ${stderr.trim()}` : ''}`,
      'The batch itself is recorded in the results database; fix the command and try it with `npm run runs`.'));
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(`could not start (${err.message})`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else fail(signal === 'SIGKILL' ? `took longer than ${timeoutMs / 1000} s` : `exited with code ${code}`);
    });
    child.stdin.on('error', () => {}); // a command that does not read stdin is fine
    child.stdin.end(JSON.stringify(summary, null, 2) + '\n');
  });
}
