/**
 * Runs with the same signals (a sweep's combinations sharing one scan) keep one copy of them (signal_rows, under
 * the first run; the others name it in runs.signals_of). What a user relies on: every run still has its own
 * signals, both through barwise (readSignals) and through SQL (`signals WHERE run_id = ?`), and a run reopened
 * to be continued forgets only the signals of ticker-days no run sharing them finished. A results file of
 * schema 5 (a table of signals per run) is upgraded with every run's signals as they were.
 */
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MIGRATIONS, ResultsDb } from '../../../src/results/results-db.js';
import { migrate } from '../../../src/results/schema-version.js';
import type { DayOutcome } from '../../../src/runtime/task-types.js';
import type { Signal } from '../../../src/types.js';
import { useTempDir } from '../../helpers/temp.js';

const RUN = { started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' };

function signal(ticker: string, date: string, time: string, timestamp: number, v: string): Signal {
  return { ticker, signal_date: date, signal_time: time, timestamp, seq: 0, direction: 'LONG', pattern_strength: 0.5, metrics: { v } };
}

const done = (date: string, signals: Signal[]): DayOutcome => ({ date, bars: 78, steps: 72, skipped: false, signals });
const failed = (date: string, signals: Signal[]): DayOutcome => ({ ...done(date, signals), error: { code: 'TRADE_FAILED', message: 'boom' } });

const D1 = '2025-11-03';
const D2 = '2025-11-04';
const a1 = signal('A', D1, '10:00:00', 1000, 'a1');
const a2 = signal('A', D2, '10:05:00', 2000, 'a2');
const b1 = signal('B', D1, '09:50:00', 900, 'b1');

/** The rows `signals WHERE run_id = ?` gives a user, in the total order, as plain values. */
function sqlSignals(file: string, runId: number): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM signals WHERE run_id = ? ORDER BY signal_date, timestamp, ticker, seq').raw().all(runId);
  } finally {
    db.close();
  }
}

/** A signal as the row `signals` has for it in run `runId`. */
const row = (runId: number, s: Signal) => [runId, s.ticker, s.signal_date, s.signal_time, s.timestamp, s.seq, s.direction, s.pattern_strength, JSON.stringify(s.metrics)];

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('results: runs sharing their signal rows', () => {
  const tmp = useTempDir();

  it('each run has its own signals through readSignals and SQL, stored once for the runs sharing them', () => {
    const file = `${tmp()}/share.db`;
    const db = new ResultsDb(file);
    const owner = db.startRun(RUN);
    const member = db.startRun(RUN, owner);
    const plain = db.startRun(RUN);
    // As a sweep records one task for two combinations sharing a scan, and a run of its own beside them.
    db.recordTask(owner, 'A', [done(D1, [a1]), done(D2, [a2])], [a1, a2], []);
    db.recordTask(member, 'A', [done(D1, [a1]), done(D2, [a2])], [a1, a2], []);
    db.recordTask(plain, 'B', [done(D1, [b1])], [b1], []);
    db.flush();
    expect(db.readSignals(owner)).to.deep.equal([a1, a2]);
    expect(db.readSignals(member)).to.deep.equal([a1, a2]);
    expect(db.readSignals(plain)).to.deep.equal([b1]);
    db.close();
    expect(sqlSignals(file, owner)).to.deep.equal([row(owner, a1), row(owner, a2)]);
    expect(sqlSignals(file, member)).to.deep.equal([row(member, a1), row(member, a2)]);
    expect(sqlSignals(file, plain)).to.deep.equal([row(plain, b1)]);
    expect(count(file, 'SELECT COUNT(*) FROM signal_rows')).to.equal(3);
    expect(count(file, `SELECT COUNT(*) FROM runs WHERE signals_of = ${owner}`)).to.equal(1);
  });

  it('refuses to delete (in SQL) a run that holds other runs\' signals before those runs, so none loses them', () => {
    const file = `${tmp()}/delete.db`;
    const db = new ResultsDb(file);
    const owner = db.startRun(RUN);
    const member = db.startRun(RUN, owner);
    db.recordTask(owner, 'A', [done(D1, [a1])], [a1], []);
    db.recordTask(member, 'A', [done(D1, [a1])], [a1], []);
    db.flush();
    db.close();
    const sql = new Database(file);
    try {
      sql.pragma('foreign_keys = ON');
      expect(() => sql.prepare('DELETE FROM runs WHERE id = ?').run(owner)).to.throw(/holds the signal rows of other runs/);
      expect(sql.prepare('SELECT COUNT(*) FROM signals WHERE run_id = ?').pluck().get(member)).to.equal(1);
      sql.prepare('DELETE FROM runs WHERE id = ?').run(member);
      sql.prepare('DELETE FROM runs WHERE id = ?').run(owner);
      expect(sql.prepare('SELECT COUNT(*) FROM signal_rows').pluck().get()).to.equal(0);
    } finally {
      sql.close();
    }
  });

  it('a reopened run keeps the signals of a ticker-day another run sharing them finished, and forgets those no run finished', () => {
    const file = `${tmp()}/reopen.db`;
    const db = new ResultsDb(file);
    const owner = db.startRun(RUN);
    const member = db.startRun(RUN, owner);
    // D1: the owner finished it, the member's trading failed on it; D2: failed for both. Signals are kept on failed days.
    db.recordTask(owner, 'A', [done(D1, [a1]), failed(D2, [a2])], [a1, a2], []);
    db.recordTask(member, 'A', [failed(D1, [a1]), failed(D2, [a2])], [a1, a2], []);
    db.flush();
    expect(db.reopenRun(member)).to.deep.equal([]);
    expect(db.readSignals(member), 'D1 is the owner\'s: kept; D2 no run finished: forgotten').to.deep.equal([a1]);
    expect(db.reopenRun(owner).map((d) => d.date)).to.deep.equal([D1]);
    expect(db.readSignals(owner)).to.deep.equal([a1]);
    db.close();

    // The member continued alone (a backtest --resume of it): the signals it records are its shared rows.
    const again = new ResultsDb(file);
    again.reopenRun(member);
    again.recordTask(member, 'A', [done(D1, [a1]), done(D2, [a2])], [a1, a2], []);
    again.flush();
    expect(again.readSignals(member)).to.deep.equal([a1, a2]);
    expect(again.readSignals(owner)).to.deep.equal([a1, a2]);
    again.close();
    expect(sqlSignals(file, member)).to.deep.equal([row(member, a1), row(member, a2)]);
    expect(count(file, 'SELECT COUNT(*) FROM signal_rows')).to.equal(2);
  });

  it('a reopened run shares its rows again only when they are the named run\'s', () => {
    const file = `${tmp()}/again.db`;
    const db = new ResultsDb(file);
    const owner = db.startRun(RUN);
    const member = db.startRun(RUN, owner);
    const own = db.startRun(RUN);
    db.close();
    const reopened = new ResultsDb(file);
    expect(reopened.shareSignalsWhileRecording(member, owner)).to.equal(true);
    expect(reopened.shareSignalsWhileRecording(own, owner)).to.equal(false);
    reopened.recordTask(owner, 'A', [done(D1, [a1])], [a1], []);
    reopened.recordTask(member, 'A', [done(D1, [a1])], [a1], []);
    reopened.recordTask(own, 'A', [done(D1, [a1])], [a1], []);
    reopened.flush();
    for (const r of [owner, member, own]) expect(reopened.readSignals(r), `run ${r}`).to.deep.equal([a1]);
    reopened.close();
    expect(count(file, 'SELECT COUNT(*) FROM signal_rows')).to.equal(2);
  });

  it('capping the signals of runs sharing them keeps the same first N for each', () => {
    const db = new ResultsDb(':memory:');
    const owner = db.startRun(RUN);
    const member = db.startRun(RUN, owner);
    for (const r of [owner, member]) db.recordTask(r, 'A', [done(D1, [a1]), done(D2, [a2])], [a1, a2], []);
    db.capSignals(owner, 1);
    db.capSignals(member, 1);
    expect(db.readSignals(owner)).to.deep.equal([a1]);
    expect(db.readSignals(member)).to.deep.equal([a1]);
    db.close();
  });

  it('upgrades a schema 5 file (a table of signals per run): every run\'s signals as they were, through readSignals and SQL', () => {
    const file = `${tmp()}/v5.db`;
    const v5 = new Database(file);
    migrate(v5, MIGRATIONS.filter((m) => m.version <= 5));
    expect(v5.pragma('user_version', { simple: true })).to.equal(5);
    const insertRun = v5.prepare(`INSERT INTO runs (started_at, status, scanner, scanner_name, db, from_date, to_date, threads, warmup, mode, version, inputs_json)
      VALUES ('t', 'completed', 's', 's', 'd', 'a', 'b', 1, 0, 'm', 'v', '{}')`);
    const first = Number(insertRun.run().lastInsertRowid);
    const second = Number(insertRun.run().lastInsertRowid);
    const insertSignal = v5.prepare('INSERT INTO signals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [r, s] of [[first, a1], [first, a2], [second, a1], [second, b1]] as const) insertSignal.run(...row(r, s));
    v5.close();

    const db = new ResultsDb(file);
    expect(db.readSignals(first)).to.deep.equal([a1, a2]);
    expect(db.readSignals(second)).to.deep.equal([b1, a1]);
    db.close();
    expect(count(file, 'PRAGMA user_version')).to.equal(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(sqlSignals(file, first)).to.deep.equal([row(first, a1), row(first, a2)]);
    expect(sqlSignals(file, second)).to.deep.equal([row(second, b1), row(second, a1)]);
    expect(count(file, 'SELECT COUNT(*) FROM runs WHERE signals_of IS NOT NULL')).to.equal(0);
  });
});
