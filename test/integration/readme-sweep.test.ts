/**
 * The README's walk-forward sweep, as a user types it: the command line is read out of README.md (the
 * `npm run sweep --` block with --walk-forward), and its arguments are given unchanged to the CLI `npm run
 * sweep` starts, in a pseudo-terminal (util-linux `script`) so the tables a user sees are printed. It runs in a
 * temp folder holding a link to `scanners/` (the README's relative paths resolve as in a clone, and its
 * `sweep.html` and `results/barwise.db` land there, not in the tree). Checked: exit 0, the ranking, the
 * walk-forward windows each with a choice, the stitched out-of-sample line, PBO with a verdict, and the report.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, useTempDir } from '../helpers/temp.js';

const HAS_SCRIPT = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** The README's sweep command with --walk-forward, continuation lines joined, as its list of arguments after `--`. */
function readReadmeSweep(readme: string): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ''));
  const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => l.startsWith('npm run sweep -- ') && l.includes('--walk-forward'));
  expect(lines, 'the README has one walk-forward sweep command').to.have.length(1);
  const args = lines[0].replace(/#.*$/, '').trim().split(/\s+/).slice(4);
  return args;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('the README\'s walk-forward sweep', function () {
  this.timeout(300_000);
  const tmp = useTempDir('barwise-readme-sweep-');

  it('names ≥ 12 combinations, walk-forward and a report, and runs as written: exit 0, ranking, windows, stitched result, PBO verdict', async function () {
    if (!HAS_SCRIPT) {
      if (process.env.CI) throw new Error('util-linux script not found: CI must install it');
      this.skip();
    }
    const args = readReadmeSweep(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    expect(args).to.include.members(['--walk-forward', '--report', 'sweep.html']);
    const params = args.filter((_, i) => args[i - 1] === '--param');
    expect(params, 'or_bars three values × vol_mult 1.5..3:0.5 four').to.deep.equal(['or_bars=3,6,12', 'vol_mult=1.5..3:0.5']);

    const dir = tmp();
    fs.symlinkSync(path.join(ROOT, 'scanners'), path.join(dir, 'scanners'));
    const command = [process.execPath, path.join(ROOT, 'bin', 'barwise.js'), 'sweep', ...args].map(quote).join(' ');
    let output: string;
    let code = 0;
    try {
      // A terminal 200 columns wide (tables are fitted to the terminal's width), its per-user data in the temp folder.
      output = execFileSync('script', ['-qec', `stty cols 200; ${command}`, '/dev/null'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', XDG_DATA_HOME: path.join(dir, 'data') }, timeout: 280_000,
      });
    } catch (err) {
      const e = err as { status: number; stdout: string };
      code = e.status;
      output = e.stdout;
    }
    const text = output.replace(/\r/g, '');
    expect(code, text.slice(-3000)).to.equal(0);

    // The ranking: its header, and 20 rows at most (--top default) of the 12 combinations, each `or_bars=… vol_mult=…`.
    expect(text).to.match(/│ rank │ run\s+│ combination/);
    const ranked = [...text.matchAll(/│\s+(\d+) │ #\d+\s+│ (or_bars=\d+ vol_mult=[\d.]+)\s+│/g)].map((m) => m[2]);
    expect(new Set(ranked).size, 'every combination ranked once').to.equal(12);

    expect(text).to.include('Walk-forward (rolling, train 10, test 5 trading days), 4 window(s), chosen by profit_factor on train:');
    const windows = [...text.matchAll(/│ (\d)\s+│ (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d) \((\d+)\)\s+│ (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d) \((\d+)\)\s+│ ([^│]+)│/g)];
    expect(windows.map((w) => [w[1], w[4], w[7]]), 'windows of 10 train and 5 test days over 29 sessions; the last keeps 4').to.deep.equal([
      ['0', '10', '5'], ['1', '10', '5'], ['2', '10', '5'], ['3', '10', '4'],
    ]);
    for (const w of windows) expect(w[8].trim(), `window ${w[1]} chose a combination with at least --min-trades train trades`).to.match(/^#\d+ or_bars=\d+ vol_mult=[\d.]+$/);
    expect(text).to.match(/Out of sample, stitched: 19 test day\(s\), \d+ trade\(s\), profit_factor [\d.]+/);
    expect(text).to.match(/In-sample vs out-of-sample gap: mean train profit_factor [\d.-]+, mean test [\d.-]+, gap [\d.-]+ over \d window\(s\)/);
    expect(text).to.match(/PBO \d\.\d\d \((low|moderate|high|overfit)\): .+ 12 combinations/);

    expect(fs.statSync(path.join(dir, 'sweep.html')).size).to.be.greaterThan(100_000);
    expect(fs.readFileSync(path.join(dir, 'sweep.html'), 'utf8')).to.include('id="wf-equity"');
    expect(fs.existsSync(path.join(dir, 'data', 'barwise', 'results.db')), 'the default results database, in the per-user data folder').to.equal(true);
  });
});
