/** What the figures were measured on: they mean little without it. */
import os from 'node:os';
import Database from 'better-sqlite3';

export interface MachineInfo {
  host: string;
  cores: number;
  cpu: string;
  memory_gb: number;
  node: string;
  sqlite: string;
  better_sqlite3: string;
  platform: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const db = new Database(':memory:');
  const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  const { createRequire } = await import('node:module');
  const pkg = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
  return {
    host: os.hostname(),
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    sqlite,
    better_sqlite3: pkg.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
