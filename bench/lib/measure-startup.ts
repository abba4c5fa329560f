/**
 * Start-up cost of the CLI, compiled (bin/barwise.js → dist/) against the TypeScript path (tsx compiling
 * src/ on load, the path tests take when they import src/*.ts), back to back: `barwise --help` and a backtest on a
 * 1-ticker × 1-day store, where nearly all the time is starting the process, the pool and its workers.
 * CPU is user + system of the process and its threads (bash's `time`, which waits for the child), so worker
 * start-up counts as well as the main thread's.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './run-trial.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StartupRow {
  command: string;
  variant: 'compiled' | 'tsx';
  wall_ms: number;
  cpu_ms: number;
  runs: number;
}

export const STARTUP_VARIANTS = {
  compiled: [path.join(ROOT, 'bin/barwise.js')],
  tsx: ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')],
} as const;

/** One run: wall and CPU in ms, from bash's `time` (TIMEFORMAT gives real, user, sys in seconds). */
function timeOnce(nodeArgs: readonly string[]): Promise<{ wall_ms: number; cpu_ms: number }> {
  const quoted = [process.execPath, ...nodeArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${quoted} >/dev/null 2>&1`], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`startup trial failed (exit ${code}): node ${nodeArgs.join(' ')}; run it by hand to see why`));
      resolve({ wall_ms: Math.round(Number(m[1]) * 1000), cpu_ms: Math.round((Number(m[2]) + Number(m[3])) * 1000) });
    });
  });
}

/** Each command under each variant, alternating variants run by run, after one discarded warm-up of each. */
export async function measureStartup(commands: Record<string, string[]>, repeats: number): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const [command, args] of Object.entries(commands)) {
    const samples = { compiled: [] as { wall_ms: number; cpu_ms: number }[], tsx: [] as { wall_ms: number; cpu_ms: number }[] };
    for (let i = -1; i < repeats; i++) {
      for (const variant of ['compiled', 'tsx'] as const) {
        const r = await timeOnce([...STARTUP_VARIANTS[variant], ...args]);
        if (i >= 0) samples[variant].push(r); // i = -1: warm-up (OS caches, tsx's compile cache)
      }
    }
    for (const variant of ['compiled', 'tsx'] as const) {
      const s = samples[variant];
      rows.push({ command, variant, wall_ms: median(s.map((x) => x.wall_ms)), cpu_ms: median(s.map((x) => x.cpu_ms)), runs: s.length });
    }
  }
  return rows;
}
