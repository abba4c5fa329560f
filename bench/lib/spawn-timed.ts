/**
 * A command in a fresh process, timed from spawn to exit; its stderr tail names the failure. CPU is user +
 * system of the process and all its threads (bash's `time`, which waits for the child): on a machine shared
 * with other work, wall time moves with the load, CPU far less.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Timed {
  wall_ms: number;
  cpu_ms: number;
}

export async function spawnTimedCpu(command: string, args: readonly string[]): Promise<Timed> {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const t0 = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', `TIMEFORMAT='%U %S'; time ${quoted}`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ code: -1, stderr: e.message }));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  const wall = performance.now() - t0;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const cpu = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
  return { wall_ms: Math.round(wall), cpu_ms: cpu ? Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000) : NaN };
}

/** Wall time alone. */
export async function spawnTimed(command: string, args: readonly string[]): Promise<number> {
  return (await spawnTimedCpu(command, args)).wall_ms;
}
