/**
 * The persistent scanner protocol, compatible with existing scripts: started once
 * with PERSISTENT_MODE=true, the script prints `READY`; per step barwise writes one JSON line
 * {"databasePath","tickers","startDate","endDate","requestId","date","asOf","time"} and reads one line
 * {"success":bool,"data":[...],"error"?,"requestId"} followed by `READY`.
 *
 * What the earlier implementation got wrong and this one does not: a non-JSON line on stdout (a log line)
 * is kept as log, never mistaken for a reply; a reply with another requestId is an error; every timer is
 * cleared; a process that dies or hangs fails the request with its last stderr lines, never "no signal".
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { BarwiseError } from '../../errors.js';
import { killProcessGroup, killProcessTree, type ChildRegistry } from '../../runtime/child-registry.js';
import type { ScriptCommand } from './script-command.js';
import { stderrTail } from './run-script-once.js';

export interface PersistentRequest {
  databasePath: string;
  tickers: string[];
  startDate: string;
  endDate: string;
  date: string;
  asOf: number;
  time: string;
}

/** How long a persistent script may take to print its first READY. */
export const PERSISTENT_START_TIMEOUT_MS = 15_000;

type Waiter = { accept(line: string): boolean; fail(err: Error): void };

export class PersistentScript {
  private child: ChildProcessWithoutNullStreams | null = null;
  private waiter: Waiter | null = null;
  private ready = false;
  private dead: Error | null = null;
  private stderr = '';
  private readonly log: string[] = [];
  private nextId = 1;

  constructor(
    private readonly cmd: ScriptCommand,
    private readonly env: Record<string, string>,
    private readonly timeoutMs: number,
    private readonly label: string,
    private readonly registry?: ChildRegistry,
  ) {}

  /** The script's file (the command's last argument, or the command itself when run directly). */
  private get file(): string {
    return this.cmd.args[this.cmd.args.length - 1] ?? this.cmd.command;
  }

  /** Lines the script printed on stdout that were not protocol (its logs), most recent last. */
  get logLines(): readonly string[] {
    return this.log;
  }

  async start(): Promise<void> {
    const child = spawn(this.cmd.command, this.cmd.args, {
      env: { ...process.env, ...this.cmd.env, ...this.env, ...this.registry?.env, PERSISTENT_MODE: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: killing it kills what it started (see killProcessTree)
    });
    this.child = child;
    this.registry?.track(child.pid);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-8192);
    });
    child.stdin.on('error', () => {}); // a dead script's closed pipe is reported through 'exit'
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.on('error', (err) => this.onDeath(new BarwiseError('SCANNER_LOAD', `cannot start ${this.label}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      // What the script left running in its group goes with it, however it ended.
      killProcessGroup(child.pid);
      this.registry?.untrack(child.pid);
      this.onDeath(new BarwiseError('SCANNER_THREW',
        `persistent ${this.label} exited (${code === null ? `signal ${signal}` : `code ${code}`})${stderrTail(this.stderr, this.file)}`));
    });
    // Starting an interpreter is not a scanner step: on a busy machine python3 or tsx alone can take longer
    // than a short --step-timeout, so the first READY gets at least PERSISTENT_START_TIMEOUT_MS.
    const startMs = Math.max(this.timeoutMs, PERSISTENT_START_TIMEOUT_MS);
    try {
      await this.waitFor('READY', (line) => line.trim() === 'READY', startMs);
    } catch (err) {
      throw this.noProtocol(err, startMs);
    }
    this.ready = true;
  }

  /**
   * A script that never printed READY does not speak the protocol (most often a run-once script started with
   * --persistent): said as such, with what it printed, instead of as a dead or hung process.
   */
  private noProtocol(err: unknown, startMs: number): BarwiseError {
    if (err instanceof BarwiseError && err.code === 'SCANNER_LOAD') return err; // it could not even start
    const child = this.child;
    const exited = child !== null && (child.exitCode !== null || child.signalCode !== null);
    // A script that failed while starting may be a persistent one with a bug: its error comes first.
    if (exited && child!.exitCode !== 0) {
      return new BarwiseError('SCANNER_THREW',
        `persistent ${this.label} exited (${child!.exitCode === null ? `signal ${child!.signalCode}` : `code ${child!.exitCode}`}) before printing READY (if it does not implement the persistent protocol, drop --persistent)${this.stdoutTail()}${stderrTail(this.stderr, this.file)}`);
    }
    const how = exited
      ? `it exited (${child!.exitCode === null ? `signal ${child!.signalCode}` : `code ${child!.exitCode}`}) before printing READY`
      : `no READY within ${startMs / 1000} s`;
    return new BarwiseError('SCANNER_PROTOCOL',
      `${this.label} does not implement the persistent protocol (${how}); drop --persistent (warm execution is the default)${this.stdoutTail()}${stderrTail(this.stderr, this.file)}`,
      'A persistent script prints READY once started, then answers one JSON request per line (README, "Legacy scripts").');
  }

  async request(req: PersistentRequest): Promise<unknown[]> {
    if (this.dead) throw this.dead;
    if (!this.ready) await this.waitFor('READY', (line) => line.trim() === 'READY');
    this.ready = false;
    const requestId = `r${this.nextId++}`;
    this.child!.stdin.write(JSON.stringify({ ...req, requestId }) + '\n');
    let reply: { success?: unknown; data?: unknown; error?: unknown; requestId?: unknown } | null = null;
    await this.waitFor('reply', (line) => {
      const parsed = parseJsonObject(line);
      if (!parsed || !('success' in parsed)) return false; // a log line
      reply = parsed;
      return true;
    });
    const r = reply as unknown as { success?: unknown; data?: unknown; error?: unknown; requestId?: unknown };
    if (r.requestId !== requestId) {
      throw new BarwiseError('SCANNER_BAD_OUTPUT', `persistent ${this.label} answered request ${requestId} with requestId ${JSON.stringify(r.requestId)}`);
    }
    if (r.success !== true) {
      throw new BarwiseError('SCANNER_THREW', `persistent ${this.label} reported an error: ${typeof r.error === 'string' ? r.error : JSON.stringify(r.error ?? null)}`);
    }
    if (!Array.isArray(r.data)) {
      throw new BarwiseError('SCANNER_BAD_OUTPUT', `persistent ${this.label} replied without a data array`);
    }
    return r.data;
  }

  stop(): void {
    const child = this.child;
    this.child = null;
    this.dead ??= new BarwiseError('SCANNER_THREW', `persistent ${this.label} was stopped`);
    if (child && child.exitCode === null && child.signalCode === null) killProcessTree(child.pid);
  }

  private waitFor(what: string, accept: (line: string) => boolean, timeoutMs = this.timeoutMs): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new BarwiseError('SCANNER_TIMEOUT', `persistent ${this.label} sent no ${what} within ${timeoutMs / 1000} s (it must answer each request with one JSON line {"success":true,"data":[...],"requestId":...}, then READY)${this.stdoutTail()}${stderrTail(this.stderr, this.file)}`));
      }, timeoutMs);
      this.waiter = {
        accept: (line) => {
          if (!accept(line)) return false;
          clearTimeout(timer);
          this.waiter = null;
          resolve();
          return true;
        },
        fail: (err) => {
          clearTimeout(timer);
          this.waiter = null;
          reject(err);
        },
      };
    });
  }

  /** The last lines it printed that were not protocol: often the garbage it sent instead of a reply. */
  private stdoutTail(): string {
    const last = this.log.slice(-3);
    return last.length ? `; last non-protocol stdout lines:\n${last.join('\n')}` : '';
  }

  private onLine(line: string): void {
    if (this.waiter?.accept(line)) return;
    if (line.trim() === 'READY') {
      this.ready = true;
      return;
    }
    this.log.push(line);
    if (this.log.length > 50) this.log.shift();
  }

  private onDeath(err: Error): void {
    if (this.dead && this.child === null) return;
    this.dead ??= err;
    this.waiter?.fail(this.dead);
  }
}

function parseJsonObject(line: string): Record<string, unknown> | null {
  const t = line.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
