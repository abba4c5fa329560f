/**
 * `barwise sweep`: flags → runSweep → the ranking, --out file, exit code. Takes every flag of backtest (the
 * run and its trade rules) plus the sweep's own (docs/sweeps.md).
 */
import type { Argv } from 'yargs';
import { BarwiseError } from '../errors.js';
import { DEFAULTS } from '../config/backtest-options.js';
import { CLI, SWEEP_ROWS, checkOptionValue } from '../config/options.js';
import { isSweepCompleteAsRecorded, runSweep } from '../sweep/run-sweep.js';
import { readRecordedSweep } from '../sweep/resume-sweep.js';
import { formatResumeCommand } from '../results/resume-command.js';
import { renderRanking } from '../sweep/render-ranking.js';
import { formatSweepJson } from '../sweep/format-sweep-json.js';
import { buildHeatmapGrid, chooseHeatmapParams } from '../sweep/heatmap-grid.js';
import { buildSweepReport } from '../report/build-sweep-report.js';
import { readChartLibrary } from '../report/chart-library.js';
import { renderOverfitting } from '../sweep/render-overfitting.js';
import type { SweepOptions } from '../sweep/sweep-options.js';
import { addOptionFlags, readOptionFlags, refuseFlags } from './option-flags.js';
import { checkRunPaths, DEFAULT_SCANNER, writeFileAtomic, type BacktestArgs } from './backtest-command.js';
import { createProgressView } from './progress-bar.js';
import { EXIT } from './exit.js';
import { formatBytes } from './output-notices.js';
import { handleStopSignals } from './handle-stop-signals.js';
import { watchQueue } from './watch-queue.js';

export function sweepBuilder(y: Argv) {
  // The run option --param, described as a sweep reads it (a list or a range per parameter).
  return addOptionFlags(y, 'sweep')
    .option('param', { type: 'string', array: true, describe: 'A swept parameter, repeated for each: name=a,b,c or name=lo..hi:step (decimal-exact); trade.X varies trade rule X' });
}

type SweepArgs = BacktestArgs & {
  param?: string[]; samples?: number; seed?: number; objective?: string; 'min-trades'?: number; top?: number;
  'walk-forward'?: boolean; train?: number; test?: number; anchored?: boolean; 'pbo-blocks'?: number; heatmap?: string;
};

export async function sweepHandler(argv: SweepArgs): Promise<number> {
  refuseFlags(argv, 'sweep');
  if (argv.top !== undefined) checkOptionValue(SWEEP_ROWS.find((r) => r.flag === 'top')!, argv.top, CLI);
  const tty = Boolean(process.stdout.isTTY);
  const progress = createProgressView(argv.progress ?? Boolean(process.stderr.isTTY));
  const stop = handleStopSignals(progress, '', 'finished ticker-days of every combination are kept');
  try {
    const top = argv.top ?? (SWEEP_ROWS.find((r) => r.flag === 'top')!.defaultValue as number);
    // --param is the grid here: each value a list or a range, not the one value a backtest takes.
    const { params: grid, ...flags } = readOptionFlags(argv);
    const { resume } = flags;
    if (grid === undefined && resume === undefined) throw new BarwiseError('USAGE', 'a sweep needs at least one --param', 'E.g. --param vol_mult=1.5..3:0.5 --param trade.targetPct=1,2.');
    // The heatmap's parameters are checked before anything runs: a misspelt name must not cost the sweep.
    if (argv.heatmap !== undefined && argv.report === undefined) {
      throw new BarwiseError('USAGE', `--heatmap ${argv.heatmap} is drawn in the --report file, and no --report was given`, 'Add --report sweep.html.');
    }
    const resultsDb = flags.resultsDb ?? DEFAULTS.resultsDb;
    checkRunPaths(flags, argv, resultsDb);
    // A resumed sweep's grid, options left out, db and scanner are its recorded ones (runSweep reads them).
    const swept = grid ? Object.keys(grid) : readRecordedSweep(resultsDb, resume!).spec.params.map((p) => p.name);
    const heatmapParams = chooseHeatmapParams(swept, argv.heatmap);
    const options = {
      ...flags, resultsDb, ...(resume === undefined ? { scanner: flags.scanner ?? DEFAULT_SCANNER } : {}), grid: grid as Record<string, string>,
      ...(argv.samples !== undefined ? { samples: argv.samples } : {}),
      ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
      ...(argv.objective !== undefined ? { objective: argv.objective } : {}),
      ...(argv['min-trades'] !== undefined ? { minTrades: argv['min-trades'] } : {}),
      ...(argv['walk-forward'] !== undefined ? { walkForward: argv['walk-forward'] } : {}),
      ...(argv.train !== undefined ? { train: argv.train } : {}),
      ...(argv.test !== undefined ? { test: argv.test } : {}),
      ...(argv.anchored !== undefined ? { anchored: argv.anchored } : {}),
      ...(argv['pbo-blocks'] !== undefined ? { pboBlocks: argv['pbo-blocks'] } : {}),
    } as SweepOptions;
    // `--resume N` alone of a completed sweep has nothing to do (its inputs checked as a resume checks them).
    const resumeAlone = resume !== undefined && Object.entries(flags).every(([k, v]) => v === undefined || k === 'resume' || k === 'resultsDb')
      && grid === undefined && !argv.out && !argv.report && SWEEP_ROWS.every((r) => r.flag === null || r.flag === 'top' || argv[r.flag] === undefined);
    if (resumeAlone && await isSweepCompleteAsRecorded(options, CLI)) {
      process.stderr.write(`barwise: sweep #${resume} of ${resultsDb} is already complete; nothing to run.\n`
        + `  Its ranking again: \`${formatResumeCommand(resume, resultsDb, undefined, 'sweep')} --out sweep.json\`; start a new sweep (without --resume) to compute it again.\n`);
      return EXIT.ok;
    }
    const watch = watchQueue(options.queue, options.db, progress);
    const sweep = await runSweep(options, {
      onStart: () => progress.start(),
      onProgress: (p) => progress.update(p),
      signal: stop.signal,
    }, CLI).finally(() => {
      watch.dispose();
      progress.stop();
    });
    const written = [];
    if (argv.out) {
      const text = formatSweepJson(sweep);
      writeFileAtomic(argv.out, text);
      written.push({ file: argv.out, bytes: Buffer.byteLength(text) });
    }
    if (argv.report) {
      const text = buildSweepReport(sweep, heatmapParams && buildHeatmapGrid(sweep, heatmapParams), readChartLibrary());
      writeFileAtomic(argv.report, text);
      written.push({ file: argv.report, bytes: Buffer.byteLength(text) });
    }
    if (tty) {
      process.stdout.write(renderRanking(sweep, top) + '\n');
      const overfitting = renderOverfitting(sweep);
      if (overfitting) process.stdout.write(overfitting + '\n');
    } else {
      const byIndex = new Map(sweep.combinations.map((c) => [c.index, c]));
      process.stdout.write(JSON.stringify({
        sweep_id: sweep.sweepId, status: sweep.status, objective: sweep.objective, combinations: sweep.combinations.length,
        ranking: sweep.ranking.slice(0, top).map((i) => {
          const c = byIndex.get(i)!;
          return { index: i, run_id: c.result.run.id, values: c.values, objective: c.objective, trades: c.trades, below_min_trades: c.belowMinTrades, status: c.result.run.status };
        }),
        pbo: sweep.overfitting.pbo && { pbo: sweep.overfitting.pbo.pbo, verdict: sweep.overfitting.pbo.verdict.level },
        deflated_sharpe: sweep.overfitting.deflatedSharpe?.dsr ?? null,
        walk_forward: sweep.overfitting.walkForward && { windows: sweep.overfitting.walkForward.steps.length, out_of_sample_objective: sweep.overfitting.walkForward.outOfSample.objective },
        notes: sweep.overfitting.notes,
      }) + '\n');
    }
    for (const w of written) process.stderr.write(`barwise: wrote ${w.file} (${formatBytes(w.bytes)}) for sweep #${sweep.sweepId}\n`);
    const runIds = sweep.combinations.map((c) => c.result.run.id);
    process.stderr.write(`barwise: sweep #${sweep.sweepId} (${sweep.status}) recorded in ${resultsDb}: runs #${runIds[0]}..#${runIds[runIds.length - 1]}, one per combination (\`barwise runs\`)\n`);
    if (sweep.status === 'interrupted') {
      const c0 = sweep.combinations[0].result.run.counts;
      process.stderr.write(`barwise: interrupted; sweep #${sweep.sweepId}: ${c0.ticker_days} of ${c0.ticker_days_planned} ticker-days finished for every combination, kept in runs #${runIds[0]}..#${runIds[runIds.length - 1]} of ${resultsDb}${argv.out ? ` and in ${argv.out}` : ''}.\n`
        + `  Continue it with: ${formatResumeCommand(sweep.sweepId, resultsDb, argv.out, 'sweep')}\n`);
      return stop.stopCode;
    }
    if (sweep.status === 'partial') {
      const failed = sweep.combinations.filter((c) => c.result.run.status !== 'completed');
      process.stderr.write(`barwise: ${failed.length} combination(s) had failed ticker-days: ${failed.slice(0, 5).map((c) => `#${c.result.run.id} (${c.result.failures.length} failed; first: ${c.result.failures[0]?.code} ${c.result.failures[0]?.message ?? ''})`).join('; ')}\n`
        + `  Once the cause is fixed, retry only the failed ticker-days with: ${formatResumeCommand(sweep.sweepId, resultsDb, argv.out, 'sweep')}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  } finally {
    stop.dispose();
  }
}
