/**
 * Fault catalogue, the portfolio pass's stored marks (docs/reliability.md, "Portfolio marks"): the prices the
 * pass marks positions at are kept once per ticker-day (run_days.prices), beside the day's candidates
 * (run_days.candidates). A run recorded by schema 3, which kept float64 marks with each candidate, or by
 * schema 7, a row per candidate, resumes to the uninterrupted run's trades; a price path or a day's candidates
 * damaged outside barwise end the run as an error naming the file, the run and the ticker-day, keeping what it
 * recorded. Through the real CLI.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MIGRATIONS, ResultsDb } from '../../src/results/results-db.js';
import { makeDay, type TestBar } from '../helpers/bars.js';
import { expectClean, fixture, readRun, runFault, useFaultStore } from './harness.js';
import { writeLegacyCandidates } from '../helpers/legacy-candidates.js';
import { decodeDayCandidates } from '../../src/portfolio/candidate-bytes.js';

const DATES = ['2025-11-03', '2025-11-04'];

/** Cent quotes with a missing bar, and a ticker quoted off any decimal grid (thirds): both path encodings. */
function bars(): TestBar[] {
  const cents = ['AAA', 'BBB'].flatMap((t) => DATES.flatMap((d) => makeDay(t, d, { slots: 14, missing: [6] })));
  const thirds = DATES.flatMap((d) => makeDay('ODD', d, { slots: 14 })).map((b) => ({
    ...b, open: b.open / 3, high: b.high / 3, low: b.low / 3, close: b.close / 3,
  }));
  return [...cents, ...thirds];
}

/** What a resumed run must reproduce: everything but where and when it ran. */
const outcome = (json: any) => JSON.stringify({ signals: json.signals, trades: json.trades, equity: json.equity, stats: json.stats });

describe('faults: portfolio marks', function () {
  const store = useFaultStore(bars);
  const { file } = store;
  // Every bar signals, all of them recorded: overlapping candidates share each day's path.
  const args = ['--scanner', fixture('every-bar.sql'), '--warmup', '1', '--signals', 'all', '--trade', '--max-positions', '2', '--size', 'equity-pct:40'];

  // A run as an older schema recorded it, cut after the first date (a run killed there), resumes to the
  // uninterrupted run's trades: the first date's candidates read from that schema's rows, the second's recorded
  // anew in their run_days rows.
  const legacy: [3 | 7, string][] = [[3, 'marks kept with each candidate'], [7, 'a row per candidate, its numbers as bytes']];
  for (const [version, layout] of legacy) {
    it(`resumes a run recorded by schema ${version} (${layout}) to the uninterrupted run's trades, equity and statistics`, async () => {
      const clean = await store.backtest(args);
      expect(clean.code, clean.stderr).to.equal(0);
      expect(clean.json.trades.length).to.be.greaterThan(2);

      const part = await store.backtest(args);
      expect(part.code, part.stderr).to.equal(0);
      const results = part.out.replace(/out-(\d+)\.json$/, 'r-$1.db');
      // Schema 3 kept each candidate's marks; schema 7 its record, as the day's bytes hold it.
      const reader = new ResultsDb(results);
      const marked = reader.readCandidates(1);
      reader.close();
      const db = new Database(results);
      const records = (db.prepare('SELECT candidates FROM run_days WHERE candidates IS NOT NULL').pluck().all() as Buffer[]).flatMap((b) => decodeDayCandidates(b));
      expect(records).to.have.length(marked.length);
      writeLegacyCandidates(db, 1, version === 3 ? marked : records, version);
      db.prepare('DELETE FROM run_days WHERE run_id = 1 AND date = ?').run(DATES[1]);
      db.prepare('DELETE FROM candidates WHERE run_id = 1 AND date = ?').run(DATES[1]);
      db.exec("UPDATE runs SET status = 'interrupted'");
      db.close();

      const out = file(`resumed-v${version}.json`);
      const r = await runFault(file('tmp'), ['backtest', '--results-db', results, '--resume', '1', '--out', out]);
      expect(r.code, r.stderr).to.equal(0);
      const resumed = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(outcome(resumed)).to.equal(outcome(clean.json));
      const after = new Database(results, { readonly: true });
      expect(after.pragma('user_version', { simple: true })).to.equal(MIGRATIONS[MIGRATIONS.length - 1].version); // upgraded to the current schema
      // The first date's candidates are still that schema's rows (version 3's with their own marks); the second
      // date's are in their run_days rows, marked from their paths.
      const ownMarks = version === 3 ? ' AND length(marks) > 0' : ' AND candidate_values IS NOT NULL';
      expect(after.prepare(`SELECT COUNT(*) FROM candidates WHERE date = ?${ownMarks}`).pluck().get(DATES[0])).to.be.greaterThan(0);
      expect(after.prepare('SELECT COUNT(*) FROM candidates WHERE date = ?').pluck().get(DATES[1])).to.equal(0);
      expect(after.prepare('SELECT COUNT(*) FROM run_days WHERE candidates IS NOT NULL AND prices IS NOT NULL AND date = ?').pluck().get(DATES[1])).to.be.greaterThan(0);
      after.close();
      expectClean(r);
    });
  }

  const damages: [string, string, RegExp][] = [
    ['price path was cut short', "UPDATE run_days SET prices = substr(prices, 1, 3) WHERE ticker = 'AAA' AND date = '2025-11-03'",
      /run 1: the stored price path of AAA 2025-11-03 is damaged: price path cut short/],
    ['price path was removed', "UPDATE run_days SET prices = NULL WHERE ticker = 'ODD' AND date = '2025-11-03'",
      /run 1: a candidate cannot be marked: ODD 2025-11-03: its price path does not cover the bars of the candidate signalled at/],
    ['candidates were cut short', "UPDATE run_days SET candidates = substr(candidates, 1, length(candidates) - 2) WHERE ticker = 'ODD' AND date = '2025-11-04'",
      /run 1: the stored candidates of ODD 2025-11-04 are damaged: \d+ bytes do not hold the \d+ candidates their header counts/],
    ['candidates were given another format', "UPDATE run_days SET candidates = X'0900000000' WHERE ticker = 'AAA' AND date = '2025-11-04'",
      /run 1: the stored candidates of AAA 2025-11-04 are damaged: candidates stored as 5 bytes of format 9, where format 1 was written/],
  ];
  for (const [what, damage, message] of damages) {
    it(`ends a resumed run whose stored ${what} as an error naming the ticker-day (exit 1), keeping its days`, async () => {
      const first = await store.backtest(args);
      expect(first.code, first.stderr).to.equal(0);
      const results = first.out.replace(/out-(\d+)\.json$/, 'r-$1.db');
      const db = new Database(results);
      db.exec(damage);
      db.prepare("DELETE FROM run_days WHERE run_id = 1 AND ticker = 'BBB' AND date = ?").run(DATES[1]);
      db.exec("UPDATE runs SET status = 'interrupted'");
      db.close();

      const r = await runFault(file('tmp'), ['backtest', '--results-db', results, '--resume', '1', '--out', file(`damaged-${what.replace(/\W+/g, '-')}.json`)]);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.contain(`results database ${results}`).and.to.match(message);
      expect(r.stderr).to.contain('run the backtest again into a new --results-db');
      expect(r.stderr).not.to.match(/unexpected error|\n\s+at /);
      const kept = readRun(results, 1)!;
      expect(kept.run.status).to.equal('error');
      expect(kept.days).to.have.length(6);
      expect(kept.signals.length).to.equal(first.kept!.signals.length);
      expectClean(r);
    });
  }
});
