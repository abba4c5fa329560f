/**
 * The CLI in a real pseudo-terminal (tmux, 120×40), as a user sees it: the bar while a run goes, and the
 * screen after Ctrl-C, which must hold whole lines only (the notice, the summary), no fragment of the bar.
 * Skipped where tmux is not installed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { writeStore } from '../helpers/bars.js';
import { HAS_TMUX } from '../helpers/tmux.js';
import { ROOT, useTempDir } from '../helpers/temp.js';
import { faultFixture, storeDays } from '../faults/harness.js';


const DATES = ['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03', '2025-11-04', '2025-11-05'];

describe('the CLI in a terminal (tmux)', function () {
  const tmp = useTempDir('barwise-terminal-');
  // A private tmux server, its socket in the suite's temp dir (removed with it): its sessions are this suite's only.
  const socket = () => path.join(tmp(), 'tmux.sock');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket(), ...args], { encoding: 'utf8' });
  const capture = (session: string) => tmux('capture-pane', '-p', '-t', session);
  let db: string;

  before(function () {
    if (!HAS_TMUX) this.skip();
    db = writeStore(path.join(tmp(), 'm.db'), storeDays(['AAA', 'BBB', 'CCC', 'DDD'], DATES, 20));
  });
  // Every test's session ends with it, passed or failed (a failed one would otherwise wait in `sleep`).
  afterEach(() => {
    if (!HAS_TMUX) return;
    try {
      execFileSync('tmux', ['-S', socket(), 'kill-server'], { stdio: 'ignore' });
    } catch {
      // No server was left running.
    }
  });

  /** Starts `barwise ARGS` in a new session; the shell prints EXIT=code when it ends, then waits to be read. */
  function startCli(session: string, args: string[], columns = 120): void {
    const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const cmd = `cd '${ROOT}' && TMPDIR='${tmp()}' node bin/barwise.js ${quoted}; echo EXIT=$?; sleep 120`;
    tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '40', cmd);
  }

  async function waitFor(session: string, test: (screen: string) => boolean, ms = 60_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const screen = capture(session);
      if (test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('shows done/total ticker-days from the start with ETA — until there is a rate, then a real ETA', async () => {
    const session = 'bar';
    startCli(session, ['backtest', '--db', db, '--scanner', faultFixture('slow.ts'), '--threads', '2', '--results-db', path.join(tmp(), 'bar.db'), '--progress']);
    const first = await waitFor(session, (s) => /ticker-days/.test(s));
    const line = first.split('\n').find((l) => l.includes('ticker-days'))!;
    expect(line).to.match(/ \d+\/32 ticker-days \| /);
    expect(line, 'no ETA 0s at 0%').to.not.match(/ 0% .*ETA 0s/);
    // The bar moves before the first task (a ticker over a window of days) answers: steps drive it.
    const moving = await waitFor(session, (s) => /[1-9]\d*% \|/.test(s) && /ETA \d/.test(s));
    expect(moving).to.match(/steps\/s/);
    tmux('send-keys', '-t', session, 'C-c');
    await waitFor(session, (s) => /EXIT=\d+/.test(s));
    tmux('kill-session', '-t', session);
  });

  it('Ctrl-C: the bar is gone before the notice, the summary says N of M ticker-days finished, and no line is broken', async () => {
    const session = 'ctrlc';
    startCli(session, ['backtest', '--db', db, '--scanner', faultFixture('slow.ts'), '--threads', '2', '--results-db', path.join(tmp(), 'c.db'), '--progress']);
    await waitFor(session, (s) => /[1-9]\d*\/32 ticker-days/.test(s));
    tmux('send-keys', '-t', session, 'C-c');
    const screen = await waitFor(session, (s) => /EXIT=\d+/.test(s));
    tmux('kill-session', '-t', session);
    const lines = screen.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    expect(screen).to.include('EXIT=130');
    // Nothing of the bar is left on the screen, and no notice was printed over it.
    for (const l of lines) {
      expect(l, `a fragment of the bar: ${l}`).to.not.match(/[█░]|steps\/s \||ETA /);
      if (l.includes('to quit at once)')) expect(l).to.match(/^(\^C)?barwise: SIGINT received, stopping; finished ticker-days are kept \(press again to quit at once\)$/);
    }
    const notice = lines.find((l) => l.startsWith('barwise: interrupted;'));
    expect(notice, screen).to.match(/^barwise: interrupted; run id \d+: [1-9]\d* of 32 ticker-days finished, kept in run #\d+ of /);
    expect(lines.some((l) => /^ {2}continue with: npm run backtest -- --resume \d+ /.test(l))).to.equal(true);
    expect(lines.some((l) => /^barwise: run #\d+ \(interrupted\) is recorded in /.test(l))).to.equal(true);
  });

  it('a script started per step estimated above an hour waits for --yes on a terminal: nothing run, nothing recorded (exit 2)', async () => {
    // 20 tickers × 8 days × 78 bars, warmup 0, one worker: 12,480 steps at ~0.4 s, about 1h23m.
    const big = writeStore(path.join(tmp(), 'big.db'), storeDays(Array.from({ length: 20 }, (_, i) => `T${String.fromCharCode(65 + i)}`), DATES, 78));
    const results = path.join(tmp(), 'yes.db');
    const session = 'yes';
    startCli(session, ['backtest', '--db', big, '--scanner', path.join(ROOT, 'test/fixtures/scanners/close-above-first.py'), '--no-persistent', '--no-warm', '--warmup', '0',
      '--threads', '1', '--results-db', results]);
    const screen = await waitFor(session, (s) => /EXIT=\d+/.test(s));
    tmux('kill-session', '-t', session);
    const text = screen.split('\n').map((l) => l.trimEnd()).join('\n');
    expect(text).to.include('EXIT=2');
    expect(text).to.match(/a process is started for every step: 12,480 steps over 160 ticker-days, about 1h23m on 1 worker/);
    expect(text).to.match(/barwise: the run is estimated to take 1h23m \(a process per step\); nothing was run\n {2}Pass --yes to run it anyway/);
    expect(fs.existsSync(results), 'a results database was created').to.equal(false);
  });

  it('tables fit a narrow terminal: the summary and the audit wrap their cells within 60 columns', async () => {
    for (const [session, command] of [['narrow-backtest', 'backtest'], ['narrow-audit', 'audit']] as const) {
      startCli(session, [command, '--db', db, '--scanner', path.join(ROOT, 'test/fixtures/scanners/every-bar.sql'), '--warmup', '2',
        '--results-db', path.join(tmp(), `${session}.db`), '--no-progress'], 60);
      await waitFor(session, (s) => /EXIT=\d+/.test(s), 120_000);
      // -J joins the lines the terminal wrapped: a line wider than the pane shows as one line here.
      const joined = tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
      tmux('kill-session', '-t', session);
      const table = joined.split('\n').filter((l) => /[│┌└├]/.test(l));
      expect(table.length, joined).to.be.above(5);
      for (const l of table) expect(l.trimEnd().length, `${command}: ${l}`).to.be.at.most(60);
      expect(joined, command).to.include('EXIT=0');
    }
  });
});
