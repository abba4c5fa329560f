/**
 * Runs a script once, as the legacy contract does: environment in, JSON on stdout, logs on stderr.
 */
import { spawn } from 'node:child_process';
import { BarwiseError } from '../../errors.js';
import { killProcessGroup, killProcessTree, type ChildRegistry } from '../../runtime/child-registry.js';
import type { ScriptCommand } from './script-command.js';
import { parseScriptOutput } from './parse-script-output.js';
import { appendStderr, firstErrorLine, summarizeStderr } from './summarize-stderr.js';

const MAX_STDOUT = 16 * 1024 * 1024;
/** After the script exited, how long its output may still arrive from the pipes. */
const STDIO_GRACE_MS = 200;

export interface RunOnceOptions {
  env: Record<string, string>;
  timeoutMs: number;
  registry?: ChildRegistry;
  label: string;
  /** The script's path, to tell its own stack frames from its libraries' in failure messages. */
  file?: string;
}

/** The script's signals (raw), or a BarwiseError naming what went wrong with its last stderr lines. */
export function runScriptOnce(cmd: ScriptCommand, o: RunOnceOptions): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.command, cmd.args, {
      env: { ...process.env, ...cmd.env, ...o.env, ...o.registry?.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: killing it kills what it started (see killProcessTree)
    });
    o.registry?.track(child.pid);
    let stdout = '';
    let stderr = '';
    let overflow = false;
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length + d.length > MAX_STDOUT) overflow = true;
      else stdout += d;
    });
    child.stderr.on('data', (d: string) => {
      stderr = appendStderr(stderr, d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessTree(child.pid);
    }, o.timeoutMs);
    child.on('exit', () => {
      // The script is done: what it left in its group goes now, and a process that left the group but still
      // holds stdout or stderr open (`setsid sleep &` without a redirect) must not make the step wait for it.
      killProcessGroup(child.pid);
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, STDIO_GRACE_MS).unref();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      o.registry?.untrack(child.pid);
      reject(new BarwiseError('SCANNER_LOAD', `cannot start ${o.label}: ${err.message}`,
        'Check that the interpreter is installed (python3 for .py) and the file is executable.'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // What the script left running in its group (`nohup sleep &`) goes with it, after every exit.
      killProcessGroup(child.pid);
      o.registry?.untrack(child.pid);
      const tail = stderrTail(stderr, o.file);
      if (timedOut) {
        reject(new BarwiseError('SCANNER_TIMEOUT', `${o.label} did not finish within ${o.timeoutMs / 1000} s and was killed${tail}`));
      } else if (code !== 0) {
        reject(new BarwiseError('SCANNER_THREW', `${o.label} exited with ${code === null ? `signal ${signal}` : `code ${code}`}${tail}`));
      } else if (overflow) {
        reject(new BarwiseError('SCANNER_BAD_OUTPUT', `${o.label} printed more than ${MAX_STDOUT / 2 ** 20} MB on stdout`));
      } else {
        const parsed = parseScriptOutput(stdout);
        if (parsed.ok) resolve(parsed.signals);
        else reject(new BarwiseError('SCANNER_BAD_OUTPUT', `${o.label}: ${parsed.reason}${tail}`));
      }
    });
  });
}

/**
 * The part of a failure message that shows the script's stderr: its first error line and the script's own
 * stack frame when there is one, then its last lines (summarize-stderr.ts). `scriptFile` tells the script's
 * own frames from those of its libraries.
 */
export function stderrTail(stderr: string, scriptFile?: string): string {
  const lines = summarizeStderr(stderr, scriptFile);
  if (lines.length === 0) return '';
  const picked = firstErrorLine(stderr) !== null;
  return `; ${picked ? 'stderr, its first error and last lines' : 'last stderr lines'}:\n${lines.join('\n')}`;
}
