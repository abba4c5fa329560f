/**
 * Fault catalogue, messages: inputs that used to give a stack trace, a message blaming the wrong thing, or a
 * silently wrong result, through the real CLI. Each case asserts that the message names the problem, the
 * file, ticker or line, and what to do, with the right exit code, and that nothing outlives the run.
 * docs/reliability.md lists every case under "Messages".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, writeStore } from '../helpers/bars.js';
import { faultFixture, fixture, expectClean, runFault, storeDays, useFaultStore } from './harness.js';

const DATES = ['2025-10-31', '2025-11-03'];
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('faults: messages', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB', 'CCC'], DATES, 12));
  const { file } = store;
  const bt = (args: string[], o: { tmpDir?: string; db?: string } = {}) => store.backtest(['--warmup', '2', ...args], o);
  const messagesOf = (json: { failures: { ticker: string; code: string; message: string }[] }) =>
    Object.fromEntries(json.failures.map((f) => [f.ticker, `${f.code}: ${f.message}`]));

  /** A small tmpfs at `dir` (root only; CI runs as root and must exercise these cases). */
  const mountSmall = (ctx: Mocha.Context, dir: string, size: string) => {
    fs.mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
      return true;
    } catch (err) {
      if (process.env.CI) throw new Error(`cannot mount a small tmpfs: ${(err as Error).message}`);
      ctx.skip();
      return false;
    }
  };

  describe('a WAL database on a read-only filesystem', () => {
    const ro = () => file('read-only');
    let mounted = false;
    before(function () {
      mounted = mountSmall(this, ro(), '4m');
      const wal = writeStore(path.join(ro(), 'wal.db'), DATES.flatMap((d) => makeDay('AAA', d, { slots: 12 })));
      const w = new Database(wal);
      w.pragma('journal_mode = WAL');
      w.close(); // checkpointed: no -wal or -shm left, as a database copied onto a read-only disk is
      execFileSync('mount', ['-o', 'remount,ro', ro()], { stdio: 'pipe' });
    });
    after(() => {
      if (mounted) execFileSync('umount', [ro()]);
    });

    it('says its folder is not writable and SQLite needs a -shm file there, and how to get round it (exit 1)', async () => {
      const wal = path.join(ro(), 'wal.db');
      const before = sha(wal);
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: wal });
      expect(r.stderr).to.match(/cannot read market database .*read-only\/wal\.db: it is in WAL mode and its folder .*read-only is not writable \(a read-only disk or permissions\), so SQLite cannot create the wal\.db-shm file it needs to read it\n  Copy the file to a writable folder and pass the copy with --db, or switch it out of WAL mode once where it is writable: sqlite3 .*wal\.db "PRAGMA journal_mode=DELETE"\./);
      expect(r.stderr).not.to.match(/CSV/);
      expect(r.code).to.equal(1);
      expect(sha(wal)).to.equal(before);
      expectClean(r);
    });
  });

  describe('a full TMPDIR', () => {
    const small = () => file('small-tmp');
    let mounted = false;
    before(function () {
      mounted = mountSmall(this, small(), '64k');
      try {
        fs.writeFileSync(path.join(small(), 'filler'), Buffer.alloc(128 * 1024));
      } catch {
        // full now, as intended
      }
    });
    after(() => {
      if (mounted) execFileSync('umount', [small()]);
    });

    for (const [what, args] of [
      ['a script scanner', ['--scanner', fixture('close-above-first.py')]],
      ['naive mode', ['--scanner', fixture('every-bar.sql'), '--mode', 'naive']],
    ] as const) {
      it(`${what}: each ticker-day fails as TEMP_WRITE naming TMPDIR, not the scanner; the remedy once (exit 1)`, async () => {
        const r = await bt([...args], { tmpDir: small() });
        expect(r.code, r.stderr).to.equal(1);
        const codes = new Set(r.json.failures.map((f: { code: string }) => f.code));
        expect([...codes]).to.deep.equal(['TEMP_WRITE']);
        expect(r.json.failures).to.have.length(6);
        expect(r.json.failures[0].message).to.match(/^cannot write the day database \S+\.db to the temp directory .*small-tmp: the disk is full \(.*\); free space there, or set TMPDIR to a folder with room$/);
        expect(r.stderr).to.match(/\n  The temp directory is full or not writable \(not the scanner's fault\): free space in TMPDIR or set TMPDIR to a folder with room\.\n/);
        expect(r.kept!.failures.map((f) => f.code)).to.deep.equal(Array(6).fill('TEMP_WRITE'));
        expectClean(r);
      });
    }
  });

  describe('tickers the database spells otherwise', () => {
    let lower: string;
    before(() => {
      lower = writeStore(file('lower.db'), ['aaa', 'Brk.b', 'SPY', 'spy2'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 12 }))));
    });

    it('--tickers aaa,brk.b runs the database\'s aaa and Brk.b, and a script\'s signals for them are kept (exit 0)', async () => {
      const r = await bt(['--tickers', 'aaa,brk.b', '--scanner', fixture('close-above-first.py'), '--signals', 'all'], { db: lower });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.kept!.days.map((d) => d.ticker)).to.deep.equal(['Brk.b', 'aaa', 'Brk.b', 'aaa']);
      // An independent count: the script fires when the latest close is above the day's first close.
      let expected = 0;
      for (const t of ['aaa', 'Brk.b']) {
        for (const d of DATES) {
          const closes = makeDay(t, d, { slots: 12 }).map((b) => b.close);
          expected += closes.slice(2).filter((c) => c > closes[0]).length;
        }
      }
      expect(new Set(r.kept!.signals.map((s) => s.ticker))).to.deep.equal(new Set(['aaa', 'Brk.b']));
      expect(r.kept!.signals).to.have.length(expected);
      expectClean(r);
    });

    it('BRK B where the database has Brk.b: unknown, with the near spelling named (exit 1)', async () => {
      const r = await bt(['--tickers', 'BRK B,ZZZ', '--scanner', fixture('every-bar.sql')], { db: lower });
      expect(r.stderr).to.match(/unknown tickers BRK B, ZZZ: no 5min bars in .*lower\.db\n  Did you mean BRK B → Brk\.b\? Tickers in this database: Brk\.b, SPY, aaa, spy2\./);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('a ticker stored in two spellings: ambiguous, both named (exit 1)', async () => {
      const two = writeStore(file('two.db'), ['aaa', 'Aaa'].flatMap((t) => makeDay(t, DATES[0], { slots: 12 })));
      const r = await bt(['--tickers', 'aaa', '--scanner', fixture('every-bar.sql')], { db: two });
      expect(r.stderr).to.match(/ticker AAA is ambiguous: the database holds Aaa and aaa\n  Spell the ticker exactly as the database does/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('a reference stored in lower case: says how the database spells it (exit 1)', async () => {
      const refs = writeStore(file('refs.db'), ['AAA', 'qqq'].flatMap((t) => makeDay(t, DATES[0], { slots: 12 })));
      const r = await bt(['--references', 'qqq', '--scanner', fixture('every-bar.sql')], { db: refs });
      expect(r.stderr).to.match(/reference ticker\(s\) QQQ have no "5min" bars in .*refs\.db \(the database spells QQQ as qqq; references are upper case\)\n  Store the reference ticker in upper case/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });
  });

  describe('tickers the database holds oddly', () => {
    it('rows with a NULL ticker: left out, every real ticker still runs (not "no bars from 1969-12-31") (exit 0)', async () => {
      const f = writeStore(file('null-ticker.db'), ['AAA', 'BBB'].flatMap((t) => makeDay(t, DATES[0], { slots: 12 })));
      const w = new Database(f);
      w.exec("INSERT INTO ohlcv_data SELECT NULL, timestamp + 1, open, high, low, close, volume, timeframe, time_of_day FROM ohlcv_data WHERE ticker = 'AAA'");
      w.close();
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.kept!.days.map((d) => d.ticker)).to.deep.equal(['AAA', 'BBB']);
      expectClean(r);
    });

    it('tickers stored as numbers (a column without a type): said, with the fix (exit 1)', async () => {
      const f = file('number-ticker.db');
      const w = new Database(f);
      w.exec(`CREATE TABLE ohlcv_data (ticker, timestamp INTEGER, open REAL, high REAL, low REAL, close REAL, volume INTEGER, timeframe TEXT, time_of_day TEXT)`);
      const ins = w.prepare("INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, '5min', NULL)");
      for (const b of makeDay('AAA', DATES[0], { slots: 12 })) ins.run(7203, b.timestamp, b.open, b.high, b.low, b.close, b.volume);
      w.close();
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.stderr).to.match(/number-ticker\.db: ohlcv_data\.ticker holds a number \(7203\), not text\n  Store tickers as text: .*CAST\(ticker AS TEXT\)/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('a ticker stored with a trailing blank: the near spelling shown quoted, so the blank is seen (exit 1)', async () => {
      const f = writeStore(file('blank.db'), ['AAPL ', 'BBB'].flatMap((t) => makeDay(t, DATES[0], { slots: 12 })));
      const r = await bt(['--tickers', 'AAPL', '--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.stderr).to.match(/unknown ticker AAPL: .*\n  Did you mean AAPL → "AAPL "\? Tickers in this database: "AAPL ", BBB\./);
      expect(r.code).to.equal(1);
      expectClean(r);
    });
  });

  describe('a damaged market database', () => {
    let big: string;
    before(() => {
      big = writeStore(file('big.db'), ['AAA', 'BBB', 'CCC', 'DDD'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d))));
    });
    const damaged = (name: string, damage: (bytes: Buffer) => Buffer) => {
      const f = file(name);
      fs.writeFileSync(f, damage(fs.readFileSync(big)));
      return f;
    };
    const REMEDY = /\n  The file is truncated or partly overwritten \(a copy or download that did not finish\?\)\. Check it with sqlite3 .* "PRAGMA integrity_check"; restore it from a backup, copy it again, or rebuild it with `npm run import`\./;

    it('truncated (a copy that did not finish): the file named, damaged, and what to do (exit 1)', async () => {
      const f = damaged('truncated.db', (b) => b.subarray(0, Math.floor(b.length / 3)));
      const before = sha(f);
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.stderr).to.match(/cannot read market database .*truncated\.db: the file is damaged \(database disk image is malformed\)/);
      expect(r.stderr).to.match(REMEDY);
      expect(r.stderr).not.to.match(/\n\s+at /); // no stack trace
      expect(r.code).to.equal(1);
      expect(sha(f)).to.equal(before);
      expectClean(r);
    });

    it('its schema page overwritten: the same, not a stack trace (exit 1)', async () => {
      const f = damaged('garbled.db', (b) => {
        const c = Buffer.from(b);
        c.fill(0xff, 108, 4000);
        return c;
      });
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.stderr).to.match(/cannot read market database .*garbled\.db: the file is damaged/);
      expect(r.stderr).to.match(REMEDY);
      expect(r.stderr).not.to.match(/\n\s+at /);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('its bar pages overwritten (found before the run, by the market fingerprint that reads every bar in range): names the file and the remedy, nothing run (exit 1)', async () => {
      // The pages holding rows, not the index: the checks that read only the index pass.
      const src = new Database(big, { readonly: true });
      const leaves = src.prepare("SELECT pageno FROM dbstat WHERE name = 'ohlcv_data' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
      const pageSize = src.pragma('page_size', { simple: true }) as number;
      src.close();
      const f = damaged('bad-pages.db', (b) => {
        const c = Buffer.from(b);
        for (const p of leaves.slice(1)) c.fill(0xff, (p - 1) * pageSize, (p - 1) * pageSize + 1000);
        return c;
      });
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: f });
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.match(/cannot read market database .*bad-pages\.db: the file is damaged \(database disk image is malformed\)/);
      expect(r.stderr).to.match(REMEDY);
      expect(r.stderr).not.to.match(/\n\s+at /);
      expect(r.json, 'no run started').to.equal(null);
      expectClean(r);
    });

    it('a directory passed as --db: says so and names the database files in it, not "disk I/O error" (exit 1)', async () => {
      const dir = file('data-dir');
      fs.mkdirSync(dir);
      fs.copyFileSync(store.db, path.join(dir, 'market.db'));
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: dir });
      expect(r.stderr).to.match(/market database .*data-dir is a directory, not an SQLite file\n  Pass --db with one of its files: .*data-dir\/market\.db\./);
      expect(r.code).to.equal(1);
      expectClean(r);
    });

    it('a CSV file passed as --db: says it is text, not SQLite, and how to import it (exit 1)', async () => {
      fs.writeFileSync(file('bars.db'), 'ticker,timestamp,open,high,low,close,volume\nAAA,1762180200000,1,2,1,2,5\n');
      const r = await bt(['--scanner', fixture('every-bar.sql')], { db: file('bars.db') });
      expect(r.stderr).to.match(/cannot read market database .*bars\.db: it is not an SQLite database \(it looks like a text file, e\.g\. a CSV\)\n  .*npm run import -- --csv FILE --db PATH/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });
  });

  describe('script scanners that cannot start', () => {
    it('a Python syntax error: said once before the run, in full, with FILE:LINE; nothing written beside the script (exit 1)', async () => {
      const dir = file('py');
      fs.mkdirSync(dir);
      const script = path.join(dir, 'syntax-error.py');
      fs.copyFileSync(faultFixture('syntax-error.py'), script);
      const r = await bt(['--scanner', script]);
      expect(r.stderr).to.match(/cannot load scanner .*syntax-error\.py:4: Python syntax error: [^\n]+\n\s+File ".*syntax-error\.py", line 4\n\s+def broken\(:\n\s+\^+\n\s+SyntaxError: [^\n]+\n  Fix line 4 of .*syntax-error\.py and run again/);
      expect(r.stderr.match(/SyntaxError/g)).to.have.length(1); // once, not per ticker-day
      expect(r.code).to.equal(1);
      expect(r.kept, 'no run was started').to.equal(null);
      expect(fs.readdirSync(dir)).to.deep.equal(['syntax-error.py']); // no __pycache__
      expectClean(r);
    });

    it('a JavaScript script with a syntax error: said once before the run with FILE:LINE, as node --check shows it (exit 1)', async () => {
      const script = file('broken-script.js');
      fs.writeFileSync(script, 'const db = process.env.DATABASE_PATH;\n\nconst x = {;\nconsole.log("[]");\n');
      const r = await bt(['--scanner', script]);
      expect(r.stderr).to.match(/cannot load scanner .*broken-script\.js:3: SyntaxError: Unexpected token ';'\n[\s\S]*const x = \{;\n\s+\^\n[\s\S]*node --check .*broken-script\.js` shows the same error/);
      expect(r.code).to.equal(1);
      expect(r.kept, 'no run was started').to.equal(null);
      expectClean(r);
    });

    it('a #! script without the execute bit: says chmod +x FILE (exit 2)', async () => {
      const script = file('no-exec-bit');
      fs.writeFileSync(script, '#!/bin/sh\necho "[]"\n', { mode: 0o644 });
      fs.chmodSync(script, 0o644);
      const r = await bt(['--scanner', script]);
      expect(r.stderr).to.match(/script .*no-exec-bit starts with #!\/bin\/sh but is not executable \(it lacks the execute permission\)\n  Make it executable: chmod \+x .*no-exec-bit\n/);
      expect(r.code).to.equal(2);
      expectClean(r);
    });

    it('a #! line with Windows line ends, or naming an interpreter that is not installed: named, not "spawn ENOENT" (exit 1)', async () => {
      const crlf = file('crlf.sh');
      fs.writeFileSync(crlf, '#!/bin/sh\r\necho "[]"\r\n', { mode: 0o755 });
      let r = await bt(['--scanner', crlf]);
      expect(r.stderr).to.match(/crlf\.sh: its #! line ends with a Windows line end \(CR\).*\n  Convert the file to Unix line ends: dos2unix/);
      expect(r.code).to.equal(1);
      expectClean(r);
      const missing = file('missing.sh');
      fs.writeFileSync(missing, '#!/usr/bin/env python2.4-not-installed\nprint "[]"\n', { mode: 0o755 });
      r = await bt(['--scanner', missing]);
      expect(r.stderr).to.match(/missing\.sh: its #! line runs python2\.4-not-installed, which is not on the PATH\n  Install python2\.4-not-installed, or fix the #! line/);
      expect(r.stderr).not.to.match(/ENOENT/);
      expect(r.code).to.equal(1);
      expectClean(r);
    });
  });

  describe('metrics JSON would change or that are too large', () => {
    it('NaN, a Map, a nested -Infinity from a module scanner: that ticker-day fails naming the path, nothing stored as null (exit 1)', async () => {
      const r = await bt(['--scanner', faultFixture('returns-non-json.ts'), '--from', DATES[0], '--to', DATES[0]]);
      expect(r.code).to.equal(1);
      const msg = messagesOf(r.json);
      expect(msg.AAA).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: metrics\.ratio is NaN$/);
      expect(msg.BBB).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: metrics\.levels is a Map \(JSON has no maps: return Object\.fromEntries\(map\)\)$/);
      expect(msg.CCC).to.match(/^SCANNER_BAD_OUTPUT: signal metrics are not JSON data: metrics\.bands\.lower\[1\] is -Infinity$/);
      expect(r.json.signals).to.deep.equal([]);
      expectClean(r);
    });

    it('NaN in a Python script\'s JSON: says JSON has no NaN and what to write instead, not "no JSON array" (exit 1)', async () => {
      const r = await bt(['--scanner', faultFixture('writes-nan.py'), '--from', DATES[0], '--to', DATES[0]]);
      expect(r.code).to.equal(1);
      expect(r.json.failures[0].message).to.match(/script writes-nan\.py: the JSON array on stdout holds NaN, which JSON does not allow .*: write null instead/);
      expectClean(r);
    });

    it('10 MB of metrics per signal: that ticker-day fails saying the size and the 64 KB limit; the others are kept (exit 1)', async () => {
      const r = await bt(['--scanner', faultFixture('returns-huge-metrics.ts'), '--signals', 'all']);
      expect(r.code).to.equal(1);
      const failed = r.json.failures.map((f: { ticker: string; date: string }) => `${f.ticker} ${f.date}`);
      expect(failed).to.deep.equal(DATES.map((d) => `BBB ${d}`));
      expect(r.json.failures[0].message).to.equal('signal metrics are 10.0 MB of JSON, over the limit of 64 KB per signal');
      // Every AAA and CCC step after the warmup signals.
      expect(r.json.signals.filter((s: { ticker: string }) => s.ticker !== 'BBB')).to.have.length(2 * DATES.length * 10);
      expect(fs.statSync(r.out).size).to.be.below(1024 * 1024);
      expectClean(r);
    });
  });

  describe('--tickers-file', () => {
    let brk: string;
    before(() => {
      brk = writeStore(file('brk.db'), ['AAA', 'BRK B', 'B', 'BRK'].flatMap((t) => makeDay(t, DATES[0], { slots: 12 })));
    });

    it('one ticker per line: BRK B stays one ticker; comments, blank lines, CRLF and a BOM are fine (exit 0)', async () => {
      fs.writeFileSync(file('tickers.txt'), '\uFEFF# my watchlist\r\nBRK B   # Berkshire, as the broker spells it\r\n\r\n  aaa\r\n');
      const r = await bt(['--tickers-file', file('tickers.txt'), '--scanner', fixture('every-bar.sql')], { db: brk });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.kept!.days.map((d) => d.ticker)).to.deep.equal(['AAA', 'BRK B']);
      expectClean(r);
    });

    it('a line with a comma (a CSV): refused with FILE:LINE and the format, nothing run (exit 2)', async () => {
      fs.writeFileSync(file('watch.csv'), 'AAA\nBRK B,Berkshire Hathaway\n');
      const r = await bt(['--tickers-file', file('watch.csv'), '--scanner', fixture('every-bar.sql')], { db: brk });
      expect(r.stderr).to.match(/watch\.csv:2: "BRK B,Berkshire Hathaway" is not one ticker \(it holds a comma\)\n  The file takes one ticker per line; # starts a comment, blank lines are skipped\. For a CSV, keep only its ticker column\./);
      expect(r.code).to.equal(2);
      expect(r.kept).to.equal(null);
      expectClean(r);
    });

    it('a file of comments only: says it holds no tickers (exit 2)', async () => {
      fs.writeFileSync(file('empty.txt'), '# nothing yet\n\n');
      const r = await bt(['--tickers-file', file('empty.txt'), '--scanner', fixture('every-bar.sql')], { db: brk });
      expect(r.stderr).to.match(/tickers file .*empty\.txt holds no tickers\n  The file takes one ticker per line/);
      expect(r.code).to.equal(2);
      expectClean(r);
    });
  });

  describe('barwise runs on a file that is not a results database', () => {
    const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
    // An empty database is a results database yet to be written: like a missing one, a usage error (exit 2).
    for (const [what, make, message, code] of [
      ['a file that is not SQLite', (f: string) => fs.writeFileSync(f, crypto.randomBytes(5000)), /is not a barwise results database \(file is not a database\)/, 1],
      ['the market database', (f: string) => fs.copyFileSync(store.db, f), /is not a barwise results database: it has the table\(s\) ohlcv_data but no runs/, 1],
      ['an empty SQLite file', (f: string) => new Database(f).close(), /holds no runs \(an empty database\)/, 2],
    ] as const) {
      it(`${what}: named as such, not a stack trace; the file unchanged (exit ${code})`, async () => {
        const f = file(`not-results-${what.replace(/\W+/g, '-')}.db`);
        make(f);
        const before = sha(f);
        for (const args of [['runs'], ['runs', '--compare', '1']]) {
          const r = await runFault(file('tmp'), [...args, '--results-db', f]);
          expect(r.stderr).to.match(message);
          expect(r.stderr).not.to.match(/\n\s+at /);
          expect(r.code, r.stderr).to.equal(code);
          expectClean(r);
        }
        expect(sha(f)).to.equal(before);
        expect(fs.existsSync(`${f}-wal`)).to.equal(false);
      });
    }
  });
});
