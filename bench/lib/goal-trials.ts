/**
 * The trials the goals are ratios of, as data: barwise at 1 and 2 threads, the one-thread floors
 * (bench/floors/), `--trade` against none, `--signals all`, and the pandas peer (bench/peers/). They run
 * round-robin, the order reversed every other round after a discarded warm-up round, so a noisy minute on a
 * shared machine lands on every variant rather than on one. Each trial is a fresh process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeKeyDifference, signalKeys, tradeKeys } from './compare-keys.js';
import { median, runTrial } from './run-trial.js';
import { spawnTimed } from './spawn-timed.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The bench's trade rules: stop and target so every exit rule a trade walks is used; one share and a wide
 * exposure so the portfolio pass takes every candidate (the peer has no portfolio pass to match). */
export const TRADE_RULES = { stopPct: 1, targetPct: 2 } as const;
export const TRADE_ARGS = ['--trade', '--stop-pct', String(TRADE_RULES.stopPct), '--target-pct', String(TRADE_RULES.targetPct),
  '--shares', '1', '--max-exposure', '100', '--benchmark', 'none'];

export interface Sample {
  wall_ms: number;
  /** barwise: pool start to last result; a floor or peer: its own loop, in its process. */
  scan_ms: number;
  steps: number | null;
  peak_rss_mb: number;
  signal_keys: string[];
  trade_keys: string[] | null;
}

export interface GoalTrial {
  key: string;
  label: string;
  run: () => Promise<Sample>;
  /** Key of the trial whose signals (and trades, when both have them) this one must reproduce exactly. */
  sameAs?: string;
  sameSteps?: boolean;
}

export interface GoalRow {
  workload: string;
  key: string;
  label: string;
  wall_ms: number;
  runs: number[];
  scan_ms: number;
  steps: number | null;
  signals: number;
  trades: number | null;
  peak_rss_mb: number;
}

export function engineTrial(key: string, label: string, db: string, scanner: string, threads: number, extraArgs: string[] = []): GoalTrial {
  return {
    key, label, run: async () => {
      const r = await runTrial({ db, scanner, threads, extraArgs });
      return { wall_ms: r.wall_ms, scan_ms: r.scan_ms, steps: r.steps, peak_rss_mb: r.peak_rss_mb, signal_keys: r.signal_keys, trade_keys: extraArgs.includes('--trade') ? r.trade_keys : null };
    },
  };
}

async function readJsonOf(run: (out: string) => Promise<number>): Promise<{ wall_ms: number; json: any }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-bench-'));
  try {
    const out = path.join(dir, 'out.json');
    const wall_ms = await run(out);
    return { wall_ms, json: JSON.parse(fs.readFileSync(out, 'utf8')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function floorTrial(key: string, label: string, floor: 'sqlite' | 'js', db: string, scanner: string, sameAs: string): GoalTrial {
  return {
    key, label, sameAs, sameSteps: true, run: async () => {
      const { wall_ms, json } = await readJsonOf((out) => spawnTimed(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/floors/run-floor.ts'), floor, db, scanner, out]));
      return { wall_ms, scan_ms: json.loop_ms, steps: json.steps, peak_rss_mb: json.peak_rss_mb, signal_keys: signalKeys(json.signals), trade_keys: null };
    },
  };
}

/** A python3 that imports pandas (Debian's python3-pandas is under /usr/bin when a pyenv shim comes first), or null. */
export function findPandasPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import pandas, numpy'], { stdio: 'ignore' });
      return py;
    } catch {
      // the next candidate
    }
  }
  return null;
}

export function pandasTrial(key: string, label: string, python: string, db: string, scanner: string, sameAs: string): GoalTrial {
  return {
    key, label, sameAs, run: async () => {
      const args = [path.join(ROOT, 'bench/peers/pandas-peer.py'), db, scanner];
      const { wall_ms, json } = await readJsonOf((out) => spawnTimed(python, [...args, out, '--stop-pct', String(TRADE_RULES.stopPct), '--target-pct', String(TRADE_RULES.targetPct)]));
      return { wall_ms, scan_ms: json.loop_ms, steps: null, peak_rss_mb: json.peak_rss_mb, signal_keys: signalKeys(json.signals), trade_keys: tradeKeys(json.trades) };
    },
  };
}

/** Runs the trials round-robin; `failures` gets every check that did not hold (signals, trades, steps). */
export async function runGoalTrials(workload: string, trials: GoalTrial[], repeats: number, failures: string[], log: (line: string) => void, warmUp: boolean): Promise<GoalRow[]> {
  const samples = new Map<string, Sample[]>(trials.map((t) => [t.key, []]));
  for (let round = warmUp ? -1 : 0; round < repeats; round++) {
    const order = round % 2 === 0 ? trials : [...trials].reverse();
    for (const t of order) {
      const s = await t.run();
      log(`  ${workload} ${t.label}: ${s.wall_ms} ms${round < 0 ? ' (warm-up)' : ''}`);
      if (round >= 0) samples.get(t.key)!.push(s);
    }
  }
  const rows: GoalRow[] = [];
  for (const t of trials) {
    const s = samples.get(t.key)!;
    const first = s[0];
    if (s.some((x) => x.signal_keys.join('\n') !== first.signal_keys.join('\n'))) failures.push(`${workload}/${t.key}: signals differ between repeats`);
    const ref = t.sameAs ? samples.get(t.sameAs)?.[0] : undefined;
    if (ref) {
      const sig = describeKeyDifference(`${workload}/${t.key} signals`, ref.signal_keys, first.signal_keys);
      if (sig) failures.push(sig);
      if (ref.trade_keys && first.trade_keys) {
        const tr = describeKeyDifference(`${workload}/${t.key} trades`, ref.trade_keys, first.trade_keys);
        if (tr) failures.push(tr);
      }
      if (t.sameSteps && ref.steps !== first.steps) failures.push(`${workload}/${t.key}: ${first.steps} steps against barwise's ${ref.steps}`);
    }
    rows.push({
      workload, key: t.key, label: t.label, wall_ms: median(s.map((x) => x.wall_ms)), runs: s.map((x) => x.wall_ms),
      scan_ms: median(s.map((x) => x.scan_ms)), steps: first.steps, signals: first.signal_keys.length,
      trades: first.trade_keys?.length ?? null, peak_rss_mb: Math.max(...s.map((x) => x.peak_rss_mb)),
    });
  }
  return rows;
}
