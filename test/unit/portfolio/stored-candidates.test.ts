/**
 * What the results database keeps for the portfolio pass: every candidate back as recorded, with its marks
 * rebuilt from the ticker-day's one stored price path (each bar held in full, its close, the MAE and MFE so
 * far: hand-computed below), in the total order of their signals; the rows of older versions (a version 3
 * file's own marks, JSON objects, version 7's texts and values), beside days recorded after the upgrade; and the pass's
 * trades and equity series replacing the run's recorded ones when it finishes.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { ResultsDb } from '../../../src/results/results-db.js';
import { runPortfolioPass } from '../../../src/portfolio/portfolio-pass.js';
import { candidate, FIVE_BARS, recordsOf, RUN_ROW, simulatedDay } from '../../helpers/candidates.js';
import { encodeDayCandidates } from '../../../src/portfolio/candidate-bytes.js';
import { writeLegacyCandidates } from '../../helpers/legacy-candidates.js';
import { DATE, noRules, signalAt } from '../../helpers/trade-bars.js';
import { useTempDir } from '../../helpers/temp.js';

const TOTALS = { status: 'completed' as const, finished_at: 'f', ticker_days: 1, steps: 1, signal_count: 2, failure_count: 0, wall_ms: 1 };
const MIN = 60_000;
const RUN = RUN_ROW;
const BARS = FIVE_BARS;
const T0 = BARS[0].timestamp;
const dayOutcome = simulatedDay;

describe('portfolio: candidates and equity in the results database', () => {
  const tmp = useTempDir('barwise-candidates-');

  it('reads candidates back with their marks: each bar held in full, its close, and the MAE and MFE so far', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const day = dayOutcome();
    db.recordTask(runId, 'TEST', [day], [], []);
    const [long, short] = db.readCandidates(runId);
    // [bar end, close, MAE %, MFE %]. LONG from 10.1: lows 10.0, 9.8, 9.7 → -0.1, -0.3, -0.4 / 10.1; highs 10.5, 10.6 → +0.4, +0.5 / 10.1.
    expect(Array.from(long.marks)).to.deep.equal([
      T0 + 10 * MIN, 10.4, -0.990099, 3.960396,
      T0 + 15 * MIN, 9.9, -2.970297, 4.950495,
      T0 + 20 * MIN, 9.8, -3.960396, 4.950495,
    ]);
    // SHORT from 10.4: high 10.6 → -0.2 / 10.4, then 10.0 (no worse); lows 9.8, 9.7 → +0.6, +0.7 / 10.4.
    expect(Array.from(short.marks)).to.deep.equal([
      T0 + 15 * MIN, 9.9, -1.923077, 5.769231,
      T0 + 20 * MIN, 9.8, -1.923077, 6.730769,
    ]);
    const { marks: _l, ...longRest } = long;
    const { marks_from: _f, marks_count: _c, ...recorded } = recordsOf(day)[0];
    expect(longRest).to.deep.equal(recorded);
    db.close();
  });

  it('stores one price path per ticker-day, shared by its candidates, and none when no candidate holds a bar in full', () => {
    const file = `${tmp()}/paths.db`;
    const db = new ResultsDb(file);
    const runId = db.startRun(RUN);
    const day = dayOutcome();
    // A day whose only candidate enters at the last bar's open and exits at its close: nothing held in full.
    const quick = dayOutcome(BARS.slice(0, 2), [signalAt(BARS, 0, 'LONG')]);
    db.recordTask(runId, 'TEST', [day], [], []);
    const quickDay = { ...quick, date: '2025-11-04', candidates: encodeDayCandidates(recordsOf(quick).map((c) => ({ ...c, date: '2025-11-04', ticker: 'QUICK' }))) };
    db.recordTask(runId, 'QUICK', [quickDay], [], []);
    const back = db.readCandidates(runId);
    expect(back.map((c) => [c.ticker, c.marks.length / 4])).to.deep.equal([['TEST', 3], ['TEST', 2], ['QUICK', 0]]);
    db.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT ticker, date FROM run_days WHERE prices IS NOT NULL').all()).to.deep.equal([{ ticker: 'TEST', date: DATE }]);
    raw.close();
  });

  it('reads each candidate back as the JSON of its record would: nulls, NaN and ±Infinity as null, -0 as 0, its fields in order', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const day = dayOutcome();
    const [first, second] = recordsOf(day);
    const odd = [
      { ...first, pattern_strength: null, risk: Number.NaN, mae_pct: -0 },
      { ...second, pattern_strength: Number.POSITIVE_INFINITY, risk: Number.NEGATIVE_INFINITY, mfe_pct: 1 / 3, entry_price: 0.1 + 0.2 },
    ];
    db.recordTask(runId, 'TEST', [{ ...day, candidates: encodeDayCandidates(odd) }], [], []);
    const back = db.readCandidates(runId).map(({ marks: _m, ...rest }) => rest);
    // What a candidate stored as its JSON object reads back as (deep equality tells -0 from 0), fields in the record's order.
    const asJson = odd.map(({ marks_from: _f, marks_count: _c, ...rest }) => JSON.parse(JSON.stringify(rest)) as Record<string, unknown>);
    expect(back).to.deep.equal(asJson);
    expect(back.map((c) => Object.keys(c))).to.deep.equal(asJson.map((c) => Object.keys(c)));
    db.close();
  });

  it('keeps only the candidates of the signals --max-signals keeps, and a day left with none drops its price path', () => {
    const file = `${tmp()}/capped.db`;
    const db = new ResultsDb(file);
    const runId = db.startRun(RUN);
    const long = signalAt(BARS, 0, 'LONG');
    const short = signalAt(BARS, 1, 'SHORT');
    const day = dayOutcome(BARS, [long, short]);
    const late = simulatedDay(BARS, [short], 'LATE');
    db.recordTask(runId, 'TEST', [day], [long, short], []);
    db.recordTask(runId, 'LATE', [late], [{ ...short, ticker: 'LATE' }], []);
    const [testLong] = db.readCandidates(runId);
    // In the total order (date, signal time, ticker): TEST's LONG, then LATE's SHORT, then TEST's SHORT.
    db.capSignals(runId, 1);
    expect(db.readCandidates(runId)).to.deep.equal([testLong]);
    db.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT ticker, prices IS NOT NULL AS path, candidates IS NOT NULL AS kept FROM run_days ORDER BY ticker').all())
      .to.deep.equal([{ ticker: 'LATE', path: 0, kept: 0 }, { ticker: 'TEST', path: 1, kept: 1 }]);
    raw.close();
  });

  it('reads the candidates of a version 6 database, each one a JSON object', () => {
    const file = `${tmp()}/v6.db`;
    const created = new ResultsDb(file);
    const runId = created.startRun(RUN);
    const day = dayOutcome();
    created.recordTask(runId, 'TEST', [day], [], []);
    const expected = created.readCandidates(runId);
    created.close();
    // The file as version 6 left it: no candidates in run_days, each candidate's record as one JSON object in a
    // row of the candidates table, no candidate_values.
    const v6 = new Database(file);
    writeLegacyCandidates(v6, runId, recordsOf(day), 6);
    v6.close();
    const db = new ResultsDb(file);
    expect(db.readCandidates(runId)).to.deep.equal(expected);
    db.close();
  });

  it('reads the rows of a version 7 database beside the days recorded after its upgrade, in one order', () => {
    const file = `${tmp()}/v7.db`;
    const created = new ResultsDb(file);
    const runId = created.startRun(RUN);
    const day = dayOutcome();
    created.recordTask(runId, 'TEST', [day], [], []);
    const [long, short] = created.readCandidates(runId);
    created.close();
    // The file as version 7 left it: each candidate a row, its key in the key columns, its texts a JSON array
    // and its other numbers float64 LE.
    const v7 = new Database(file);
    writeLegacyCandidates(v7, runId, recordsOf(day), 7);
    v7.close();
    // Upgraded, the run goes on (as a resumed one would): another ticker's day on the same date, its candidates
    // in its run_days row, signalled at the same bars: in the total order its LONG comes between TEST's two.
    const db = new ResultsDb(file);
    const other = simulatedDay(BARS, [signalAt(BARS, 0, 'LONG'), signalAt(BARS, 1, 'SHORT')], 'OTHER');
    db.recordTask(runId, 'OTHER', [other], [], []);
    const back = db.readCandidates(runId);
    expect(back.map((c) => `${c.ticker} ${c.direction}`)).to.deep.equal(['OTHER LONG', 'TEST LONG', 'OTHER SHORT', 'TEST SHORT']);
    expect(back[1]).to.deep.equal(long);
    expect(back[3]).to.deep.equal(short);
    // A version 7 row changed outside barwise is named by its ticker-day.
    db.close();
    const raw = new Database(file);
    raw.prepare("UPDATE candidates SET candidate_values = X'00' WHERE seq = (SELECT MIN(seq) FROM candidates)").run();
    raw.close();
    const again = new ResultsDb(file);
    expect(() => again.readCandidates(runId)).to.throw(new RegExp(`run ${runId}: the stored candidate of TEST ${DATE} is damaged: .*1 bytes of numbers`));
    again.close();
  });

  it('names the ticker-day whose stored candidates were changed outside barwise', () => {
    const file = `${tmp()}/damaged.db`;
    const db = new ResultsDb(file);
    const runId = db.startRun(RUN);
    db.recordTask(runId, 'TEST', [dayOutcome()], [], []);
    db.flush();
    const raw = new Database(file);
    // Its texts cut short: the header still counts two candidates.
    raw.prepare('UPDATE run_days SET candidates = substr(candidates, 1, length(candidates) - 3)').run();
    raw.close();
    expect(() => db.readCandidates(runId)).to.throw(new RegExp(`run ${runId}: the stored candidates of TEST ${DATE} are damaged: .*2 candidates`));
    const raw2 = new Database(file);
    raw2.prepare("UPDATE run_days SET candidates = X'07'").run();
    raw2.close();
    expect(() => db.readCandidates(runId)).to.throw(/the stored candidates of TEST .* are damaged: .*format 7/);
    db.close();
  });

  it('upgrades a version 3 database and reads the marks it kept with each candidate', () => {
    const file = `${tmp()}/v3.db`;
    const created = new ResultsDb(file);
    const runId = created.startRun(RUN);
    created.close();
    const a = candidate({ ticker: 'B', entry: 10, exit: 30, entryQuote: 100 / 3, exitQuote: 34, closes: [[15, 1 / 3], [20, 33.000000000001]] });
    const { marks, ...rest } = a;
    // The file as version 3 left it: no price paths, each candidate as JSON with its marks as the bytes of their Float64Array.
    const v3 = new Database(file);
    v3.exec('ALTER TABLE run_days DROP COLUMN prices; ALTER TABLE run_days DROP COLUMN candidates; ALTER TABLE candidates DROP COLUMN candidate_values');
    v3.pragma('user_version = 3');
    v3.prepare('INSERT INTO candidates (run_id, date, signal_ts, ticker, seq, candidate_json, marks) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(runId, a.date, a.signal_ts, a.ticker, a.seq, JSON.stringify(rest), Buffer.from(Float64Array.from(marks).buffer));
    v3.close();
    const db = new ResultsDb(file);
    const [back] = db.readCandidates(runId);
    expect(back).to.deep.equal(a);
    expect(Array.from(back.marks)).to.deep.equal(Array.from(a.marks));
    db.close();
  });

  it('replaces the trades and equity series with the pass\'s when the run finishes', () => {
    const db = new ResultsDb(':memory:');
    const runId = db.startRun(RUN);
    const c = candidate({ ticker: 'A', entry: 10, exit: 20, entryQuote: 50, exitQuote: 51, closes: [[15, 49]] });
    const pass = runPortfolioPass([c], noRules());
    db.finishRun(runId, { ...TOTALS, portfolio: { trades: pass.trades, equity: pass.equity } });
    db.finishRun(runId, { ...TOTALS, portfolio: { trades: pass.trades, equity: pass.equity } });
    expect(db.readEquity(runId)).to.deep.equal(pass.equity);
    expect(db.readTrades(runId)).to.deep.equal(pass.trades);
    db.close();
  });
});
