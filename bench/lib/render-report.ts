/** The bench report as markdown: the table users read, then the targets with what was measured. */
import type { MachineInfo } from './machine-info.js';
import type { GoalRow } from './goal-trials.js';
import type { StartupRow } from './measure-startup.js';
import { renderGoals, type Goal } from './render-goals.js';

export interface Row {
  workload: string;
  label: string;
  scanner: string;
  threads: number;
  wall_ms: number;
  runs: number[];
  scan_ms: number;
  ticker_days: number;
  steps: number;
  signals: number;
  ticker_days_per_s: number;
  steps_per_s: number;
  scan_steps_per_s: number;
  peak_rss_mb: number;
  speedup: number;
  efficiency: number;
  signals_sha256: string;
}

export interface PerStepRow {
  scanner: string;
  variant: string;
  us: number;
  steps: number;
  /** This variant's per-step cost over the fastest variant of the same scanner. */
  ratio?: number;
}

export interface BenchReport {
  date: string;
  quick: boolean;
  repeats: number;
  machine: MachineInfo;
  rows: Row[];
  scale: { days: number; wall_ms: number; steps: number; peak_rss_mb: number }[];
  perStep: PerStepRow[];
  /** The universe with 2 reference tickers against none, back to back. */
  references?: { scanner: string; references: string[]; without_ms: number; with_ms: number; ratio: number; steps: number }[];
  trade?: { scanner: string; without_ms: number; with_ms: number; ratio: number; without_cpu_ms: number; with_cpu_ms: number; cpu_ratio: number; steps: number }[];
  /** CLI start-up, compiled against the tsx path, back to back. */
  startup?: StartupRow[];
  /** The goal trials (goal-trials.ts) and the goals assessed from them (render-goals.ts). */
  goalTrials?: GoalRow[];
  goals?: Goal[];
  naive: { status: 'pending' | 'measured'; note?: string; realtime_step_us?: number; naive_step_us?: number; ratio?: number } | null;
  failures: string[];
}

const n = (x: number) => x.toLocaleString('en-US');

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const out: string[] = [
    `# barwise bench, ${r.date.slice(0, 10)}${r.quick ? ' (quick)' : ''}`,
    '',
    `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GiB; Node ${m.node}; SQLite ${m.sqlite} (better-sqlite3 ${m.better_sqlite3}); ${m.platform}.`,
    `Each figure: median of ${r.repeats} run(s) of the CLI in a fresh process after a discarded warm-up; wall time is spawn to exit.`,
    '',
    '| workload | scanner | threads | wall | ticker-days/s | steps/s (wall) | steps/s (scan) | peak RSS | speedup | efficiency | signals | hash |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const x of r.rows) {
    out.push(`| ${x.workload} | ${x.scanner} | ${x.threads} | ${(x.wall_ms / 1000).toFixed(2)} s | ${n(x.ticker_days_per_s)} | ${n(x.steps_per_s)} | ${n(x.scan_steps_per_s)} | ${x.peak_rss_mb} MB | ${x.speedup.toFixed(2)}x | ${Math.round(x.efficiency * 100)}% | ${x.signals} | \`${x.signals_sha256.slice(0, 10)}\` |`);
  }
  out.push('', 'steps/s (wall) divides scanner steps by the whole run, process start included; steps/s (scan) by the time from pool start to the last result. Efficiency is speedup over 1 thread divided by min(threads, cores).');
  if (r.scale.length) {
    out.push('', '## Memory as the range grows (universe, SQL scanner, 2 threads)', '', '| days | wall | steps | peak RSS |', '|--:|--:|--:|--:|');
    for (const s of r.scale) out.push(`| ${s.days} | ${(s.wall_ms / 1000).toFixed(2)} s | ${n(s.steps)} | ${s.peak_rss_mb} MB |`);
  }
  if (r.perStep.length) {
    out.push('', '## Cost per step (one run each, 1 thread, small workload or a one-ticker-day sample of it)', '', '| scanner | variant | per step | steps | slower by |', '|---|---|--:|--:|--:|');
    for (const x of r.perStep) out.push(`| ${x.scanner} | ${x.variant} | ${x.us >= 1000 ? `${(x.us / 1000).toFixed(1)} ms` : `${x.us.toFixed(1)} µs`} | ${n(x.steps)} | ${x.ratio ? `${n(Math.round(x.ratio))}x` : '—'} |`);
  }
  if (r.references?.length) {
    out.push('', '## Reference tickers (universe, 2 threads, 2 references against none, back to back)', '', '| scanner | references | without | with | ratio | steps |', '|---|---|--:|--:|--:|--:|');
    for (const x of r.references) out.push(`| ${x.scanner} | ${x.references.join(', ')} | ${(x.without_ms / 1000).toFixed(2)} s | ${(x.with_ms / 1000).toFixed(2)} s | ${x.ratio.toFixed(2)}x | ${n(x.steps)} |`);
  }
  if (r.trade?.length) {
    out.push('', '## Trading the signals (universe, 2 threads, --trade against without, alternating; medians)', '', '| scanner | without | with --trade | ratio | CPU without | CPU with | CPU ratio | steps |', '|---|--:|--:|--:|--:|--:|--:|--:|');
    for (const x of r.trade) out.push(`| ${x.scanner} | ${(x.without_ms / 1000).toFixed(2)} s | ${(x.with_ms / 1000).toFixed(2)} s | ${x.ratio.toFixed(3)}x | ${(x.without_cpu_ms / 1000).toFixed(2)} s | ${(x.with_cpu_ms / 1000).toFixed(2)} s | ${x.cpu_ratio.toFixed(3)}x | ${n(x.steps)} |`);
  }
  if (r.startup?.length) {
    out.push('', '## Start-up (compiled CLI against the tsx path, back to back; median wall and CPU incl. workers)', '', '| command | compiled wall | tsx wall | ratio | compiled CPU | tsx CPU | ratio |', '|---|--:|--:|--:|--:|--:|--:|');
    for (const command of [...new Set(r.startup.map((x) => x.command))]) {
      const c = r.startup.find((x) => x.command === command && x.variant === 'compiled')!;
      const t = r.startup.find((x) => x.command === command && x.variant === 'tsx')!;
      out.push(`| ${command} | ${n(c.wall_ms)} ms | ${n(t.wall_ms)} ms | ${(t.wall_ms / c.wall_ms).toFixed(2)}x | ${n(c.cpu_ms)} ms | ${n(t.cpu_ms)} ms | ${(t.cpu_ms / c.cpu_ms).toFixed(2)}x |`);
    }
  }
  if (r.goals?.length) out.push(...renderGoals(r.goalTrials ?? [], r.goals, r.repeats));
  out.push('', '## Targets', '', '| target | measured |', '|---|---|');
  for (const x of r.references ?? []) out.push(`| 2 references on the universe (${x.scanner}): <= 1.5x the run without | ${x.ratio.toFixed(2)}x |`);
  for (const x of r.trade ?? []) out.push(`| --trade on the universe (${x.scanner}, 2 threads): <= 1.05x the run without | ${x.ratio.toFixed(3)}x wall (${x.cpu_ratio.toFixed(3)}x CPU) |`);
  const get = (w: string, s: string, t: number) => r.rows.find((x) => x.workload === w && x.scanner === s && x.threads === t);
  const uni = get('universe', 'sql', 2);
  if (uni) out.push(`| universe, SQL scanner, 2 threads: <= 10 s wall | ${(uni.wall_ms / 1000).toFixed(2)} s (${n(uni.steps_per_s)} steps/s) |`);
  const uniMod = get('universe', 'module', 2);
  if (uniMod) out.push(`| module scanner without ctx.db, 2 threads: >= 1M steps/s | ${n(uniMod.scan_steps_per_s)} steps/s in the scan phase, ${n(uniMod.steps_per_s)} over the whole run (universe) |`);
  for (const x of r.rows.filter((y) => y.threads === 2)) {
    out.push(`| 2-thread efficiency >= 90%: ${x.workload}/${x.scanner} | ${Math.round(x.efficiency * 100)}% |`);
  }
  for (const w of new Set(r.rows.map((x) => `${x.workload}|${x.scanner}`))) {
    const [wl, sc] = w.split('|');
    const atCores = get(wl, sc, r.machine.cores);
    const more = r.rows.filter((x) => x.workload === wl && x.scanner === sc && x.threads > r.machine.cores);
    for (const x of more) {
      if (atCores) out.push(`| ${x.threads} threads not slower than ${r.machine.cores}: ${wl}/${sc} | ${(x.wall_ms / 1000).toFixed(2)} s vs ${(atCores.wall_ms / 1000).toFixed(2)} s |`);
    }
  }
  const rss = r.rows.filter((x) => x.workload === 'universe').map((x) => x.peak_rss_mb);
  if (rss.length) out.push(`| universe peak RSS <= 1 GB | ${Math.max(...rss)} MB at most |`);
  if (r.scale.length) out.push(`| RSS flat as days grow | ${r.scale.map((s) => `${s.days} d: ${s.peak_rss_mb} MB`).join(', ')} |`);
  for (const x of r.perStep.filter((y) => y.variant === 'naive' && y.ratio && !['sql', 'module'].includes(y.scanner))) {
    out.push(`| ${x.scanner}: persistent >= 100x faster per step than naive | ${n(Math.round(x.ratio!))}x |`);
  }
  out.push(`| realtime vs naive on small (SQL scanner): >= 3,000x per step | ${r.naive?.status === 'measured' ? `${n(Math.round(r.naive.ratio!))}x` : r.naive?.note ?? 'not run'} |`);
  if (r.failures.length) out.push('', '## FAILED', '', ...r.failures.map((f) => `- ${f}`));
  return out.join('\n') + '\n';
}
