/**
 * A Redis for the cluster tests: BARWISE_TEST_REDIS_URL when set (.ci/run starts one), else a redis-server of
 * this suite's own on a free loopback port, nothing persisted, stopped after the suite. Without redis-server the
 * suite skips with the reason, except under CI=true, where a missing Redis is a failure.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Declares before/after hooks on the calling suite; the returned function gives the URL inside tests, of the
 * Redis database `db`: suites that may run at once (mocha runs two files in parallel) each use their own, so
 * one suite's workers never take the other's shards and one suite's flush never empties the other's queue.
 */
export function useRedis(db: number): () => string {
  let url = process.env.BARWISE_TEST_REDIS_URL ?? '';
  let server: RedisServer | null = null;
  before(async function () {
    if (url) return;
    if (!hasRedisServer()) {
      if (process.env.CI === 'true') throw new Error('redis-server is missing: the cluster tests need a real Redis under CI (.ci/run installs Debian\'s redis-server)');
      console.log('    (skipped: no redis-server on this machine and BARWISE_TEST_REDIS_URL unset; apt-get install redis-server)');
      this.skip();
    }
    server = await startRedisServer();
    url = server.url;
  });
  after(async () => {
    await server?.stop();
  });
  return () => `${url.replace(/\/\d*$/, '')}/${db}`;
}

export interface RedisServer {
  url: string;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** A redis-server of one's own on a free loopback port (or `port`: one started again where it was), nothing persisted. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  port ??= await findFreePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-redis-'));
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise((r) => server.once('exit', r));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not listen on port ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
