/**
 * The issue's goals, each a ratio of goal trials (goal-trials.ts) measured back to back in one run, beside
 * its target. A goal whose trials did not run (no pandas, no real data, `--quick`) says so instead.
 */
import type { GoalRow } from './goal-trials.js';
import type { StartupRow } from './measure-startup.js';

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');

export function assessGoals(rows: GoalRow[], startup: StartupRow[] | undefined, skipped: Record<string, string>): Goal[] {
  const get = (w: string, k: string) => rows.find((r) => r.workload === w && r.key === k);
  const goals: Goal[] = [];
  const ratio = (goal: string, target: string, w: string, a: string, b: string, max: number | null, min: number | null = null) => {
    const x = get(w, a);
    const y = get(w, b);
    if (!x || !y) return goals.push({ goal, target, measured: skipped[w] ?? skipped[b] ?? 'not run', met: null });
    const r = x.wall_ms / y.wall_ms;
    goals.push({ goal, target, measured: `${r.toFixed(2)}x (${s(x.wall_ms)} / ${s(y.wall_ms)})`, met: (max === null || r <= max) && (min === null || r >= min) });
  };
  ratio('SQL scanner, 2 threads vs the one-thread SQLite floor', '<= 0.6x', 'universe', 'sql-2', 'floor-sqlite', 0.6);
  ratio('module scanner, 2 threads vs the one-thread JS floor', '<= 0.6x', 'universe', 'module-2', 'floor-js', 0.6);
  ratio('SQL scanner, 1 thread over 2 threads', '>= 1.8x', 'universe', 'sql-1', 'sql-2', null, 1.8);
  ratio('module scanner, 1 thread over 2 threads', '>= 1.8x', 'universe', 'module-1', 'module-2', null, 1.8);
  for (const [key, label, min] of [['module-2-all', '--signals all', 1_000_000], ['module-2', 'first', 500_000]] as const) {
    const x = get('universe', key);
    const goal = `module scanner, 2 threads, ${label}: steps/s in the scan phase`;
    const target = `>= ${n(min)}`;
    if (!x || x.steps === null) goals.push({ goal, target, measured: skipped.universe ?? 'not run', met: null });
    else {
      const rate = (x.steps * 1000) / x.scan_ms;
      goals.push({ goal, target, measured: `${n(rate)} (${n(x.steps)} steps in ${s(x.scan_ms)}; ${n((x.steps * 1000) / x.wall_ms)} over the whole run)`, met: rate >= min });
    }
  }
  ratio('--trade over the same run without (SQL, 2 threads)', '<= 1.05x', 'universe', 'sql-2-trade', 'sql-2', 1.05);
  const boot = startup?.find((x) => x.variant === 'compiled' && x.command.startsWith('backtest'));
  goals.push(boot
    ? { goal: 'start-up: barwise backtest, 1 ticker x 1 day (compiled CLI)', target: '<= 0.3 s', measured: `${s(boot.wall_ms)} wall, ${s(boot.cpu_ms)} CPU`, met: boot.wall_ms <= 300 }
    : { goal: 'start-up: barwise backtest, 1 ticker x 1 day (compiled CLI)', target: '<= 0.3 s', measured: 'not run', met: null });
  ratio('barwise (SQL + --trade, 2 threads) vs the pandas peer, universe', '<= 0.5x', 'universe', 'sql-2-trade', 'pandas', 0.5);
  ratio('barwise (SQL + --trade, 2 threads) vs the pandas peer, 40 real tickers', '<= 0.5x', 'real', 'sql-2-trade', 'pandas', 0.5);
  const engine = rows.filter((r) => r.workload === 'universe' && !r.key.startsWith('floor') && r.key !== 'pandas');
  const peer = get('universe', 'pandas');
  if (engine.length) {
    const peak = Math.max(...engine.map((r) => r.peak_rss_mb));
    goals.push({ goal: 'peak RSS on the universe (any barwise trial)', target: '<= 350 MB', measured: `${peak} MB${peer ? ` (pandas peer: ${peer.peak_rss_mb} MB)` : ''}`, met: peak <= 350 });
  } else goals.push({ goal: 'peak RSS on the universe (any barwise trial)', target: '<= 350 MB', measured: skipped.universe ?? 'not run', met: null });
  return goals;
}

export function renderGoals(rows: GoalRow[], goals: Goal[], repeats: number): string[] {
  const out = ['', `## Goals (issue 18; ratios of trials run back to back, round-robin, medians of ${repeats})`, '',
    '| goal | target | measured | met |', '|---|---|---|---|'];
  for (const g of goals) out.push(`| ${g.goal} | ${g.target} | ${g.measured} | ${g.met === null ? '—' : g.met ? 'yes' : 'no'} |`);
  if (rows.length) {
    out.push('', '### The goal trials', '', '| workload | trial | wall | own time | steps | signals | trades | peak RSS |', '|---|---|--:|--:|--:|--:|--:|--:|');
    for (const r of rows) {
      out.push(`| ${r.workload} | ${r.label} | ${s(r.wall_ms)} | ${s(r.scan_ms)} | ${r.steps === null ? '—' : n(r.steps)} | ${n(r.signals)} | ${r.trades === null ? '—' : n(r.trades)} | ${r.peak_rss_mb} MB |`);
    }
    out.push('', 'Wall is spawn to exit. Own time: barwise from pool start to the last result; a floor or the peer, its loop in its',
      'own process (reading the store included). Floors and peer are checked to give the same signals (floors: and steps; peer: and trades) as barwise.');
  }
  return out;
}
