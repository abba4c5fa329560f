/**
 * The error that stops a run after identical failures: it names the scanner's file:line from the stack and
 * shows the scanner's frames, not the engine's.
 */
import path from 'node:path';
import { expect } from 'chai';
import { createFailureLimitError, locateScannerLine, selectScannerFrames } from '../../../src/engine/failure-limit-error.js';
import { findFirstFrame, identifyFailure } from '../../../src/engine/supervise-run.js';
import { PACKAGE_ROOT } from '../../../src/package-paths.js';

const SCANNER = path.join(path.sep, 'home', 'u', 'scanners', 'gap.ts');
const ENGINE = path.join(PACKAGE_ROOT, 'dist', 'src', 'runtime', 'replay-day.js');
const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'vwap')",
  `    at helper (${path.join(path.sep, 'home', 'u', 'scanners', 'lib.ts')}:3:9)`,
  `    at Object.scan (${SCANNER}:12:5)`,
  `    at replayDay (file://${ENGINE}:33:31)`,
  '    at onMessage (/x/node_modules/piscina/dist/worker.js:180:28)',
].join('\n');

describe('failure limit error', () => {
  it("names the first frame in the scanner's own file, else the first frame", () => {
    expect(locateScannerLine(STACK, SCANNER)).to.match(/gap\.ts:12:5$/);
    expect(locateScannerLine(STACK, '/elsewhere/other.ts')).to.match(/lib\.ts:3:9$/);
    expect(locateScannerLine(undefined, SCANNER)).to.equal(null);
  });

  it("keeps the frames down to the engine's first", () => {
    expect(selectScannerFrames(STACK)).to.deep.equal(STACK.split('\n').slice(1, 3).map((l) => l.trim()));
    // Thrown inside the engine (an SQL scanner's error): its first frame still shows.
    expect(selectScannerFrames(STACK.split('\n').slice(0, 1).concat(STACK.split('\n').slice(3)).join('\n'))).to.have.length(1);
  });

  it('says how many failed alike, the first ticker-day, and where the run is kept', () => {
    const err = createFailureLimitError({ ticker: 'AMD', date: '2025-11-03', error: { code: 'SCANNER_THREW', message: 'boom', stack: STACK } }, 50,
      { runId: 7, resultsDb: 'r.db', scanner: SCANNER, tickerDaysDone: 60 });
    expect(err.code).to.equal('TOO_MANY_FAILURES');
    expect(err.message.split('\n')[0]).to.match(/^stopped the run: 50 ticker-days failed the same way \(SCANNER_THREW: boom\) at \S*gap\.ts:12:5; the first was AMD 2025-11-03$/);
    expect(err.hint).to.include('kept as run #7 of r.db').and.include('npm run backtest -- --resume 7 --results-db r.db');
  });

  it('takes code, message and first frame as what makes two failures the same', () => {
    const a = { code: 'SCANNER_THREW' as const, message: 'boom', stack: STACK };
    expect(findFirstFrame(STACK)).to.equal(STACK.split('\n')[1].trim());
    expect(identifyFailure(a)).to.equal(identifyFailure({ ...a }));
    expect(identifyFailure(a)).to.not.equal(identifyFailure({ ...a, stack: STACK.replace('3:9', '4:1') }));
    expect(identifyFailure(a)).to.not.equal(identifyFailure({ ...a, message: 'bang' }));
    expect(identifyFailure(a)).to.not.equal(identifyFailure({ ...a, code: 'TRADE_FAILED' }));
  });
});
