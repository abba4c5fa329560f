/**
 * `npm run bench:warm`: what warm execution of run-once legacy scripts saves, per step, back to back in one
 * run: warm (one runner per worker re-running the script), a process per step (--no-warm), and --mode naive
 * (a fresh database file and a process per bar), for a TypeScript and a JavaScript script. Workload: the
 * small synthetic market, one thread, --signals all so every bar is a step; the per-process variants run a
 * slice (2 tickers x 1 day from bar 48), warm runs 2 tickers x 2 days from bar 8. Per step = scan time /
 * steps (pool start and the runner's start included in warm's, so it is not flattered). Each variant's
 * signals must equal the others' on the common slice (checked, not just timed). The goal: warm >= 20x
 * faster than a process per step.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ensureMarket, tickerName, tradingDates, WORKLOADS } from './lib/generate-market.js';
import { machineInfo } from './lib/machine-info.js';
import { median, runTrial } from './lib/run-trial.js';

const argv = await yargs(hideBin(process.argv))
  .option('repeats', { type: 'number', default: 1, describe: 'Timed runs per variant (median)' })
  .strict()
  .parseAsync();

const SCRIPTS = { TypeScript: 'scanners/legacy/gap-and-go.ts', JavaScript: 'bench/scripts/gap-and-go.cjs' } as const;
const GOAL = 20;

const db = ensureMarket(WORKLOADS.small);
const [d0, d1] = tradingDates(2);
const tickers = `${tickerName(0)},${tickerName(1)}`;
const slice = ['--tickers', tickers, '--from', d0, '--to', d0, '--signals', 'all', '--warmup', '48'];
const warmSlice = ['--tickers', tickers, '--from', d0, '--to', d1, '--signals', 'all', '--warmup', '8'];

async function perStep(scanner: string, args: string[]): Promise<{ us: number; steps: number; hash: string }> {
  const runs = [];
  for (let i = 0; i < argv.repeats; i++) runs.push(await runTrial({ db, scanner, threads: 1, extraArgs: args }));
  return { us: median(runs.map((r) => (r.scan_ms * 1000) / r.steps)), steps: runs[0].steps, hash: runs[0].signals_sha256 };
}

const m = await machineInfo();
console.log(`warm scripts, per step (${m.cores} cores, ${m.cpu}, node ${m.node}; timings on a shared machine are noisy, ratios travel better)\n`);
console.log('| script | variant | us/step | steps | vs warm |');
console.log('|---|---|---:|---:|---:|');
let failed = false;
for (const [language, script] of Object.entries(SCRIPTS)) {
  await runTrial({ db, scanner: script, threads: 1, extraArgs: [...slice, '--warm'] }); // warm-up, discarded
  const warm = await perStep(script, [...warmSlice, '--warm']);
  const warmOnSlice = await perStep(script, [...slice, '--warm']);
  const perProcess = await perStep(script, [...slice, '--no-warm']);
  const naive = await perStep(script, [...slice, '--mode', 'naive']);
  if (new Set([warmOnSlice.hash, perProcess.hash, naive.hash]).size !== 1) {
    console.error(`bench: ${script}: warm, a process per step and naive found different signals`);
    failed = true;
  }
  for (const [variant, r] of [['warm', warm], ['process per step', perProcess], ['naive', naive]] as const) {
    console.log(`| ${language} | ${variant} | ${r.us.toFixed(0)} | ${r.steps} | ${variant === 'warm' ? '1x' : `${(r.us / warm.us).toFixed(1)}x`} |`);
  }
  const ratio = perProcess.us / warm.us;
  console.error(`bench: ${language}: warm is ${ratio.toFixed(1)}x faster per step than a process per step (goal >= ${GOAL}x)${ratio >= GOAL ? '' : ' - below the goal'}`);
}
process.exitCode = failed ? 1 : 0;
