/**
 * The error that stops a run whose ticker-days keep failing the same way (supervise-run.ts, maxFailures): a
 * scanner bug, named once with its stack and the scanner's file:line, instead of the same failure on every
 * ticker-day of the universe.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarwiseError } from '../errors.js';
import { PACKAGE_ROOT } from '../package-paths.js';
import { formatResumeCommand } from '../results/resume-command.js';
import type { FailureSample } from './supervise-run.js';

export function createFailureLimitError(
  first: FailureSample,
  count: number,
  run: { runId: number; resultsDb: string; scanner: string; tickerDaysDone: number },
): BarwiseError {
  const { error } = first;
  const where = locateScannerLine(error.stack, run.scanner);
  const lines = [
    `stopped the run: ${count} ticker-days failed the same way (${error.code}: ${error.message})${where ? ` at ${where}` : ''}; the first was ${first.ticker} ${first.date}`,
  ];
  for (const f of selectScannerFrames(error.stack)) lines.push(`    ${f}`);
  return new BarwiseError('TOO_MANY_FAILURES', lines.join('\n'),
    `Fix the scanner${where ? ` at ${where}` : ''} and start the run again (--max-failures 0 runs every ticker-day whatever fails); `
    + `the ${run.tickerDaysDone} ticker-days that finished are kept as run #${run.runId} of ${run.resultsDb}. `
    + `If the cause was outside the scanner's code (a missing module, a file it reads), continue with: ${formatResumeCommand(run.runId, run.resultsDb)}`);
}

/** `scanners/x.ts:12:5`: the first stack frame in the scanner's file (else the first frame), relative to here. */
export function locateScannerLine(stack: string | undefined, scanner: string): string | null {
  if (!stack) return null;
  const frames = stack.split('\n').filter((l) => /^\s*at /.test(l)).map(parseFrame).filter((f) => f !== null);
  const target = path.resolve(scanner);
  const frame = frames.find((f) => f.file === target) ?? frames[0];
  if (!frame) return null;
  const rel = path.relative(process.cwd(), frame.file);
  return `${rel.startsWith('..') ? frame.file : rel}:${frame.line}`;
}

/** Engine frames (barwise's own code, its dependencies) say nothing about the bug. */
const ENGINE_DIRS = [path.join(PACKAGE_ROOT, 'src') + path.sep, path.join(PACKAGE_ROOT, 'dist') + path.sep];

/** The stack's frames down to the first of the engine's (at least one frame: an SQL error is thrown by the engine). */
export function selectScannerFrames(stack: string | undefined): string[] {
  const frames = stack?.split('\n').filter((l) => /^\s*at /.test(l)).map((l) => l.trim()) ?? [];
  const inEngine = (l: string) => {
    const f = parseFrame(l);
    return f !== null && (ENGINE_DIRS.some((d) => f.file.startsWith(d)) || f.file.includes(`${path.sep}node_modules${path.sep}`));
  };
  const end = frames.findIndex(inEngine);
  return frames.slice(0, end <= 0 ? Math.min(1, frames.length) : end);
}

function parseFrame(line: string): { file: string; line: string } | null {
  const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
  if (!m) return null;
  let file = m[1];
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return null;
    }
  }
  return { file: path.resolve(file), line: `${m[2]}:${m[3]}` };
}
