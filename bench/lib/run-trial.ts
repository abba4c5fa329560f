/**
 * One trial = one `barwise backtest` in a fresh process, timed from spawn to exit, exactly as a user runs
 * it. The run's own JSON gives steps, ticker-days, peak RSS and the signal list, whose hash must not
 * depend on the thread count. CPU is user + system of the process and all its threads (bash's `time`, which
 * waits for the child): on a machine shared with other work, wall time moves with the load, CPU far less.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalKeys, tradeKeys } from './compare-keys.js';
import { spawnTimedCpu } from './spawn-timed.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface TrialSpec {
  db: string;
  scanner: string;
  threads: number;
  mode?: 'realtime' | 'naive';
  extraArgs?: string[];
}

export interface TrialResult {
  wall_ms: number;
  cpu_ms: number;
  scan_ms: number;
  steps: number;
  ticker_days: number;
  signals: number;
  peak_rss_mb: number;
  signals_sha256: string;
  /** The signals and trades as sorted lines (compare-keys.ts), for checking a floor or a peer against barwise. */
  signal_keys: string[];
  trade_keys: string[];
}

export async function runTrial(spec: TrialSpec): Promise<TrialResult> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-bench-')), 'out.json');
  const args = [path.join(ROOT, 'bin/barwise.js'), 'backtest', '--db', spec.db, '--scanner', spec.scanner,
    '--threads', String(spec.threads), '--results-db', ':memory:', '--out', out, '--no-progress',
    ...(spec.mode ? ['--mode', spec.mode] : []), ...(spec.extraArgs ?? [])];
  try {
    const { wall_ms: wall, cpu_ms } = await spawnTimedCpu(process.execPath, args);
    const text = fs.readFileSync(out, 'utf8');
    const json = JSON.parse(text);
    const signalsText = text.slice(text.indexOf('\n"signals"'), text.indexOf('\n"failures"'));
    return {
      wall_ms: wall,
      cpu_ms,
      scan_ms: json.run.timings.scan_ms,
      steps: json.run.counts.steps,
      ticker_days: json.run.counts.ticker_days,
      signals: json.run.counts.signals,
      peak_rss_mb: json.run.timings.peak_rss_mb,
      signals_sha256: createHash('sha256').update(signalsText).digest('hex'),
      signal_keys: signalKeys(json.signals),
      trade_keys: tradeKeys(json.trades ?? []),
    };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
