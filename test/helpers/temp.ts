import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import './isolate-home.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A temp directory removed after the calling suite. */
export function useTempDir(prefix = 'barwise-test-'): () => string {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a user would; `nodeOptions`: Node's own before the script (`node --max-old-space-size=4096 bin/barwise.js`). */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; nodeOptions?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(opts.nodeOptions ?? []), path.join(ROOT, 'bin', 'barwise.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
