/**
 * A `--tickers-file` (and a batch job's universe file): one ticker per line, as the database spells it.
 * `#` starts a comment, blank lines are skipped, a byte-order mark and CR line ends are ignored. A ticker may
 * hold a space (`BRK B`, as some brokers spell it), so a line is never split; a comma or a tab means the file
 * has columns (a CSV export, `AAPL,Apple Inc.`), which is refused with its line rather than guessed at.
 */
import fs from 'node:fs';
import { BarwiseError } from '../errors.js';

const FORMAT = 'The file takes one ticker per line; # starts a comment, blank lines are skipped.';

export function readTickersFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BarwiseError('USAGE', `tickers file not found: ${file}`, `Pass --tickers-file with a file of tickers. ${FORMAT}`);
    throw new BarwiseError('USAGE', `cannot read tickers file ${file}: ${(err as Error).message}`, `Check that it is a file you may read. ${FORMAT}`);
  }
  return parseTickersFile(text, file);
}

export function parseTickersFile(text: string, file: string): string[] {
  const tickers: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim().replace(/ {2,}/g, ' ');
    if (line === '') continue;
    if (/[,\t;]/.test(line)) {
      throw new BarwiseError('USAGE', `${file}:${i + 1}: "${lines[i].trim()}" is not one ticker (it holds a ${separatorName(line)})`,
        `${FORMAT} For a CSV, keep only its ticker column.`);
    }
    tickers.push(line);
  }
  if (tickers.length === 0) throw new BarwiseError('USAGE', `tickers file ${file} holds no tickers`, FORMAT);
  return tickers;
}

function separatorName(line: string): string {
  if (line.includes(',')) return 'comma';
  if (line.includes('\t')) return 'tab';
  return 'semicolon';
}
