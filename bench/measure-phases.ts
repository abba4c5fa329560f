/**
 * Where a universe run's main-thread time goes outside its scan: one `barwise backtest` per scanner at 2
 * threads, as the goal trials run it (lib/run-trial.ts), with `--cpu-prof`. The main thread's profile gives
 * each phase's span and busy time (its non-idle samples) from the first and last samples of the functions that
 * open and close it; the other threads' profiles give when they ran. A sample is ~1 ms, so a phase is placed
 * to about that; on a loaded machine busy time counts time the thread waited for a core.
 *
 *   npm run build && node --import tsx bench/measure-phases.ts [--scanners sql,module] [--db FILE] [--trade] [--top N]
 * (--db: a copy of the universe elsewhere, instead of bench/cache/, generated when missing; --trade: with the
 * goal trial's trade rules (lib/goal-trials.ts), so the portfolio pass, statistics and trade writes show as
 * phases of their own; --top: the N functions the main thread was busiest in during the scan, by self time,
 * which is what takes a core from the workers)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnTimedCpu } from './lib/spawn-timed.js';
import { ensureMarket, WORKLOADS } from './lib/generate-market.js';
import { TRADE_ARGS } from './lib/goal-trials.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCANNERS: Record<string, string> = { sql: 'scanners/opening-range-breakout.sql', module: 'scanners/vwap-reclaim.ts' };

interface Profile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Phase name, the function whose first sample opens it (null: the profile's start; `>fn`: the last sample of
 * fn, for a phase that opens with calls too short to be sampled).
 */
const PHASES: [string, string | null][] = [
  ['start-up (modules, CLI flags)', null],
  ['resolveRun (scanner, universe, context, hashes)', 'resolveRunFully'],
  ['pool start (+ market fingerprint when measured first)', 'startRunner'],
  ['plan hash, results row, tasks', '>completePlan'],
  ['scan (first task -> result read back)', 'superviseRun'],
  ['scan, market fingerprint measured beside it', 'measureMarketStepwise'],
  ['scan, plan known (hash, results row, held results first)', '>measureMarketStepwise'],
  ['read back signals, failures', 'finishRecording'],
  // Only with --trade: a phase whose function was never sampled is left out (its time stays in the one before).
  ['portfolio pass (candidates marked, trades priced)', 'runPortfolioPass'],
  ['trade context, statistics', 'readTradeContext'],
  ['trades, equity, runs row written', '>computeStats'],
  ['notices (warmup trap, ...)', 'collectRunNotices'],
  ['--out JSON, summary', 'renderOutputs'],
];

function phasesOf(main: Profile): { name: string; from: number; to: number; busy: number }[] {
  const byId = new Map(main.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of main.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const names = new Map<number, Set<string>>();
  const namesOf = (id: number) => {
    let s = names.get(id);
    if (!s) {
      s = new Set();
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) s.add(byId.get(x)!.callFrame.functionName);
      names.set(id, s);
    }
    return s;
  };
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  const samples: { at: number; ms: number; idle: boolean }[] = [];
  let t = main.startTime;
  main.samples.forEach((id, i) => {
    t += main.timeDeltas[i];
    const at = (t - main.startTime) / 1000;
    const s = namesOf(id);
    samples.push({ at, ms: main.timeDeltas[i] / 1000, idle: s.has('(idle)') });
    for (const [, spec] of PHASES) {
      const fn = spec?.replace(/^>/, '');
      if (!fn || !s.has(fn)) continue;
      if (!first.has(fn)) first.set(fn, at);
      last.set(fn, at);
    }
  });
  const end = (main.endTime - main.startTime) / 1000;
  // A run measures its fingerprint first (one statement: completePlan) or beside the scan (stepwise): the
  // phases of the other way never open, and those that do are taken in the order they opened.
  const opened = PHASES.map(([name, spec]) => ({ name, at: (spec === null ? 0 : spec.startsWith('>') ? last.get(spec.slice(1)) : first.get(spec)) ?? NaN }))
    .filter((p) => !Number.isNaN(p.at)).sort((a, b) => a.at - b.at);
  return opened.map(({ name, at: from }, i) => {
    const to = i + 1 < opened.length ? opened[i + 1].at : end;
    const busy = samples.filter((s) => s.at > from && s.at <= to && !s.idle).reduce((a, s) => a + s.ms, 0);
    return { name, from, to, busy };
  });
}

/** The main thread's busiest functions by self time within [from, to] ms of the profile. */
function topSelf(main: Profile, from: number, to: number, n: number): { name: string; ms: number }[] {
  const byId = new Map(main.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let t = main.startTime;
  main.samples.forEach((id, i) => {
    t += main.timeDeltas[i];
    const at = (t - main.startTime) / 1000;
    if (at <= from || at > to) return;
    const name = byId.get(id)!.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') return;
    self.set(name, (self.get(name) ?? 0) + main.timeDeltas[i] / 1000);
  });
  return [...self].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, n);
}

const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const wanted = (flag('--scanners') ?? 'sql,module').split(',');
const db = flag('--db') ?? ensureMarket(WORKLOADS.universe);
const trade = process.argv.includes('--trade') ? TRADE_ARGS : [];
const top = Number(flag('--top') ?? 0);
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const kind of wanted) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-phases-'));
  try {
    const { wall_ms, cpu_ms } = await spawnTimedCpu(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(ROOT, 'bin/barwise.js'), 'backtest',
      '--db', db, '--scanner', SCANNERS[kind], '--threads', '2', '--results-db', ':memory:', '--out', path.join(dir, 'out.json'), '--no-progress', ...trade]);
    const profiles = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    // File names end in <pid>.<thread id>.<sequence>: thread 0 is the main thread.
    const mainFile = profiles.find((f) => /\.0\.\d+\.cpuprofile$/.test(f))!;
    const main = JSON.parse(fs.readFileSync(path.join(dir, mainFile), 'utf8')) as Profile;
    const workers = profiles.filter((f) => f !== mainFile).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Profile);
    const rel = (us: number) => Math.round((us - main.startTime) / 1000);
    console.log(`\n${kind}${trade.length ? ' --trade' : ''}, 2 threads: ${wall_ms} ms wall, ${cpu_ms} ms CPU; other threads (workers; tsx's module hooks for a TypeScript scanner) ran ${workers.map((w) => `${rel(w.startTime)}-${rel(w.endTime)}`).join(', ')} ms`);
    console.log('| phase | from ms | to ms | span ms | main thread busy ms |\n|---|---|---|---|---|');
    const phases = phasesOf(main);
    for (const p of phases) console.log(`| ${p.name} | ${Math.round(p.from)} | ${Math.round(p.to)} | ${Math.round(p.to - p.from)} | ${Math.round(p.busy)} |`);
    console.log(`| exit (after the profile ends) | | | ${Math.round(wall_ms - (main.endTime - main.startTime) / 1000)} | |`);
    const scan = phases.find((p) => p.name.startsWith('scan'));
    if (top > 0 && scan) {
      console.log(`\nmain thread during the scan, busiest ${top} functions by self time:\n| function | self ms |\n|---|---|`);
      for (const f of topSelf(main, scan.from, scan.to, top)) console.log(`| ${f.name} | ${Math.round(f.ms)} |`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
