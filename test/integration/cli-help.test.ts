/**
 * --help as a new user reads it: the options every run names first, trading in its own group after the run
 * options, examples at the end, the terminal's full width used, and no word only the code's authors know.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { HAS_TMUX } from '../helpers/tmux.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';


/** The help's group headings, in order. */
const headings = (text: string) => text.split('\n').filter((l) => /^\S.*:$/.test(l));

describe('--help', function () {
  const tmp = useTempDir('barwise-help-');

  it('backtest: core options first (in the order a run is described), run options, trading, output, examples last', async () => {
    const r = await runCli(['backtest', '--help'], { env: { COLUMNS: '160' } });
    expect(r.code).to.equal(0);
    expect(headings(r.stdout)).to.deep.equal(['Core options:', 'Run options:', 'Trading (docs/trades.md):', 'Output:', 'Options:', 'Examples:']);
    const core = r.stdout.split('Core options:\n')[1].split('\n\n')[0];
    expect(core.split('\n').filter((l) => l.startsWith('  --')).map((l) => l.trim().split(/\s+/)[0])).to.deep.equal(['--scanner', '--db', '--tickers', '--from', '--to', '--threads', '--out']);
    const trading = r.stdout.split('Trading (docs/trades.md):\n')[1].split('\n\n')[0];
    expect(trading).to.include('--stop-pct').and.include('--report');
    expect(r.stdout.split('Run options:\n')[1].split('\n\n')[0]).to.not.include('--stop-pct');
    expect(r.stdout.split('Examples:\n')[1]).to.include('barwise backtest --scanner volume-spike');
  });

  it('says what naive mode is in plain words, and no internal word appears in any command\'s help', async () => {
    for (const cmd of ['backtest', 'audit', 'sweep', 'import', 'batch', 'runs']) {
      const r = await runCli([cmd, '--help'], { env: { COLUMNS: '160' } });
      expect(r.stdout, cmd).to.not.match(/\bseed's|\bthe seed\b|helper|session's flow/i);
    }
    const bt = await runCli(['backtest', '--help'], { env: { COLUMNS: '400' } });
    expect(bt.stdout).to.include('naive (the slow reference flow: a fresh database and process per bar');
  });

  it('wraps at the width it is given: every line within 100 columns, and wider lines at 160', async () => {
    const narrow = await runCli(['backtest', '--help'], { env: { COLUMNS: '100' } });
    const wide = await runCli(['backtest', '--help'], { env: { COLUMNS: '160' } });
    const longest = (t: string) => Math.max(...t.split('\n').map((l) => [...l].length));
    expect(longest(narrow.stdout)).to.be.at.most(100).and.above(80);
    expect(longest(wide.stdout)).to.be.at.most(160).and.above(100);
  });

  it('into a pipe without COLUMNS: 80 columns', async () => {
    const r = await runCli(['backtest', '--help'], { env: { COLUMNS: undefined } });
    expect(Math.max(...r.stdout.split('\n').map((l) => [...l].length))).to.be.at.most(80);
  });

  it('in a real 160-column terminal (tmux), COLUMNS unset: the terminal width, not 80 columns', async function () {
    if (!HAS_TMUX) this.skip();
    const socket = path.join(tmp(), 'tmux.sock');
    const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
    try {
      tmux('new-session', '-d', '-s', 'help', '-x', '160', '-y', '45', `cd '${ROOT}' && env -u COLUMNS node bin/barwise.js backtest --help; echo DONE; sleep 60`);
      const until = Date.now() + 60_000;
      let screen = '';
      while (!(screen = tmux('capture-pane', '-p', '-S', '-', '-t', 'help')).includes('DONE')) {
        if (Date.now() > until) throw new Error(`help did not finish; the screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const widths = screen.split('\n').map((l) => l.trimEnd().length);
      expect(Math.max(...widths)).to.be.above(120).and.at.most(160);
    } finally {
      try { tmux('kill-server'); } catch { /* already gone */ }
    }
  });
});
