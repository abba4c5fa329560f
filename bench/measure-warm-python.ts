/**
 * Per step, a legacy run-once Python script run warm (one python3 re-running it, warm-python.ts) against a
 * process per step (runScriptOnce), back to back on the same day database: `bench/scanners/session-high.py`
 * (sqlite3, one aggregate query) over ticker-days of 78 five-minute bars. Each trial runs every step both
 * ways, alternating which goes first; the warm runner's start is timed apart from its steps. Both must give
 * the same signals, step by step. `node --import tsx bench/measure-warm-python.ts [--days N]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { FileDayDb } from '../src/day-db/file-day-db.js';
import { exchangeTimeOfDay } from '../src/data/exchange-time.js';
import { runScriptOnce } from '../src/scanners/script/run-script-once.js';
import { scriptCommand } from '../src/scanners/script/script-command.js';
import { scriptEnv } from '../src/scanners/script/script-env.js';
import { createWarmPythonScript } from '../src/scanners/script/warm-python.js';
import type { Bar } from '../src/types.js';
import { makeDay } from '../test/helpers/bars.js';

const SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), 'scanners', 'session-high.py');
const daysArg = process.argv.indexOf('--days');
const DAYS = daysArg > 0 ? Number(process.argv[daysArg + 1]) : 2;
const TIMEOUT_MS = 30_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-bench-warm-python-'));
const db = new FileDayDb(tmp);
const cmd = scriptCommand(SCRIPT);
const label = 'script session-high.py';

const perStep = { process: [] as number[], warm: [] as number[] };
let warmStartMs = 0;
let signals = 0;
try {
  for (let d = 0; d < DAYS; d++) {
    const ticker = `T${d}`;
    const bars: Bar[] = makeDay(ticker, '2025-11-03', { slots: 78 }).map((b) => ({ ...b, time_of_day: exchangeTimeOfDay(b.timestamp) }));
    db.beginDay(ticker, '2025-11-03', bars, '5min');
    db.syncTo(0);
    const warm = createWarmPythonScript(SCRIPT, { label });
    const t0 = performance.now();
    await warm.run(scriptEnv(db.path, ticker, '2025-11-03', bars[0]), TIMEOUT_MS); // starts the runner
    warmStartMs += performance.now() - t0;
    for (let i = 0; i < bars.length; i++) {
      db.syncTo(i);
      const env = scriptEnv(db.path, ticker, '2025-11-03', bars[i]);
      const order = (i + d) % 2 === 0 ? (['process', 'warm'] as const) : (['warm', 'process'] as const);
      const got: Record<string, unknown[]> = {};
      for (const way of order) {
        const t = performance.now();
        got[way] = way === 'warm' ? await warm.run(env, TIMEOUT_MS) : await runScriptOnce(cmd, { env, timeoutMs: TIMEOUT_MS, label });
        perStep[way].push(performance.now() - t);
      }
      if (!isDeepStrictEqual(got.warm, got.process)) throw new Error(`step ${i} of ${ticker}: warm ${JSON.stringify(got.warm)} ≠ process ${JSON.stringify(got.process)}`);
      signals += got.warm.length;
    }
    warm.stop();
  }
} finally {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

const [p, w] = [median(perStep.process), median(perStep.warm)];
console.log(`workload: ${DAYS} ticker-day(s) × 78 steps of ${path.basename(SCRIPT)}, ${signals} signal(s), identical both ways`);
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| way | median per step | steps |');
console.log('|---|---|---|');
console.log(`| process per step | ${p.toFixed(2)} ms | ${perStep.process.length} |`);
console.log(`| warm | ${w.toFixed(3)} ms | ${perStep.warm.length} |`);
console.log(`warm runner start (per runner, mean): ${(warmStartMs / DAYS).toFixed(1)} ms`);
console.log(`ratio: warm is ${(p / w).toFixed(1)}× faster per step`);
