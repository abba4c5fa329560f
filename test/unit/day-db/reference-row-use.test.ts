import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { DayDb } from '../../../src/day-db/day-db.js';
import { createDayTables } from '../../../src/day-db/day-fill.js';
import { mayReadOtherTickers } from '../../../src/day-db/reference-row-use.js';
import type { Bar } from '../../../src/types.js';

// A day of 12 five-minute bars for X, and references on both sides of it in sort order (AAA < X < ZZZ), with
// some bars at times X has none: the oracle below builds its two databases by hand, sharing no code with src/.
const START = Date.parse('2025-11-03T14:30:00Z');
const bar = (ticker: string, i: number, seed: number): Bar => {
  const close = 100 + ((i * 7 + seed * 13) % 11) - 5;
  const t = START + i * 300_000;
  const hhmm = new Date(t - 5 * 3600_000).toISOString().slice(11, 19);
  return { ticker, timestamp: t, time_of_day: hhmm, open: close - 0.5, high: close + 1 + (i % 3), low: close - 1 - (i % 2), close, volume: 1000 + ((i * 37 + seed * 101) % 900) };
};
const own = Array.from({ length: 12 }, (_, i) => bar('X', i, 1));
const refs = [
  { ticker: 'AAA', bars: Array.from({ length: 12 }, (_, i) => bar('AAA', i, 2)) },
  { ticker: 'ZZZ', bars: [0, 1, 3, 4, 6, 7, 9, 11, 13].map((i) => bar('ZZZ', i, 3)) },
];

const SCHEMA = `CREATE TABLE ohlcv_data (ticker TEXT NOT NULL, timestamp INTEGER NOT NULL, open REAL NOT NULL, high REAL NOT NULL,
  low REAL NOT NULL, close REAL NOT NULL, volume INTEGER NOT NULL, timeframe TEXT NOT NULL DEFAULT '5min', time_of_day TEXT,
  UNIQUE (ticker, timestamp, timeframe));
  CREATE TABLE daily_bars (ticker TEXT NOT NULL, date TEXT NOT NULL, timestamp INTEGER NOT NULL, open REAL NOT NULL,
  high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume INTEGER NOT NULL);`;

/** The day database at step `step` as it must look: X's bars 0..step, and (withRefs) each reference's up to that time. */
function oracleDb(step: number, withRefs: boolean): Database.Database {
  const db = new Database(':memory:');
  db.exec(SCHEMA);
  const ins = db.prepare('INSERT INTO ohlcv_data VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const put = (b: Bar) => ins.run(b.ticker, b.timestamp, b.open, b.high, b.low, b.close, b.volume, '5min', b.time_of_day);
  // In time order, as the engine interleaves them step by step (so rowids differ with and without references).
  const rows = [...own.slice(0, step + 1), ...(withRefs ? refs.flatMap((r) => r.bars.filter((b) => b.timestamp <= own[step].timestamp)) : [])];
  for (const b of rows.sort((x, y) => x.timestamp - y.timestamp)) put(b);
  return db;
}

const bindings = (step: number, extra: Record<string, unknown> = {}) => ({
  ticker: 'X', date: '2025-11-03', as_of: own[step].timestamp, time: own[step].time_of_day, day_start: START, ...extra,
});

// Statements pinned to :ticker: no reference row can change what they return.
const PINNED: Record<string, { sql: string; params?: Record<string, unknown> }> = {
  'opening-range-breakout.sql': { sql: fs.readFileSync('scanners/opening-range-breakout.sql', 'utf8'), params: { or_bars: 6n, vol_mult: 1.0 } },
  'volume-spike.sql': { sql: fs.readFileSync('scanners/volume-spike.sql', 'utf8') },
  'the current close': { sql: 'SELECT close FROM ohlcv_data WHERE ticker = :ticker AND timestamp = :as_of' },
  'the last three bars': { sql: 'SELECT timestamp, close FROM ohlcv_data WHERE ticker = :ticker ORDER BY timestamp DESC LIMIT 3' },
  'a count of its own bars': { sql: 'SELECT COUNT(*) AS n FROM ohlcv_data WHERE ticker = :ticker' },
  'a scalar subquery': { sql: 'SELECT (SELECT MAX(high) FROM ohlcv_data WHERE ticker = :ticker AND timestamp < :as_of) AS h' },
};

// Statements that read another ticker's rows, each in its own way: the fixture shows each one a difference.
const READING: Record<string, string> = {
  "ZZZ's close, joined": "SELECT a.close, q.close AS z FROM ohlcv_data a JOIN ohlcv_data q ON q.timestamp = a.timestamp AND q.ticker = 'ZZZ' WHERE a.ticker = :ticker AND a.timestamp = :as_of",
  "AAA's latest close, by literal": "SELECT close FROM ohlcv_data WHERE ticker = 'AAA' AND timestamp <= :as_of ORDER BY timestamp DESC LIMIT 1",
  'every row': 'SELECT COUNT(*) AS n FROM ohlcv_data',
  'a ticker range': 'SELECT COUNT(*) AS n FROM ohlcv_data WHERE ticker >= :ticker',
  'an IN list': "SELECT COUNT(*) AS n FROM ohlcv_data WHERE ticker IN (:ticker, 'ZZZ')",
  'an OR': "SELECT MAX(close) AS m FROM ohlcv_data WHERE ticker = :ticker OR ticker = 'AAA'",
  'existence only': "SELECT close FROM ohlcv_data WHERE ticker = :ticker AND timestamp = :as_of AND EXISTS (SELECT 1 FROM ohlcv_data WHERE ticker = 'ZZZ' AND timestamp = :as_of)",
  'the rowid': 'SELECT MAX(rowid) AS r FROM ohlcv_data WHERE ticker = :ticker',
  'a LIKE on a bound pattern (planned again once bound)': "SELECT COUNT(*) AS n FROM ohlcv_data WHERE ticker = :ticker OR ticker LIKE substr(:date, 1, 0) || 'Z%'",
  'a ticker bound to another parameter': 'SELECT COUNT(*) AS n FROM ohlcv_data WHERE ticker = :date OR ticker = :time OR ticker > :ticker',
};

describe('which statements can read reference rows (decided from the compiled program)', () => {
  // Proved on the market schema and on the day database's own (its covering index): the answers must agree.
  const probe = new Database(':memory:');
  probe.exec(SCHEMA);
  const dayProbe = new Database(':memory:');
  createDayTables(dayProbe);
  after(() => {
    probe.close();
    dayProbe.close();
  });

  for (const [name, { sql, params }] of Object.entries(PINNED)) {
    it(`leaves reference rows out for ${name}, and it returns the same rows at every step`, () => {
      expect(mayReadOtherTickers(probe, sql)).to.equal(false);
      expect(mayReadOtherTickers(dayProbe, sql), 'on the day database\'s schema').to.equal(false);
      for (let step = 0; step < own.length; step++) {
        const [a, b] = [oracleDb(step, true), oracleDb(step, false)];
        expect(b.prepare(sql).all(bindings(step, params))).to.deep.equal(a.prepare(sql).all(bindings(step, params)), `step ${step}`);
        a.close();
        b.close();
      }
    });
  }

  for (const [name, sql] of Object.entries(READING)) {
    it(`keeps reference rows for ${name}, which returns other rows without them`, () => {
      expect(mayReadOtherTickers(probe, sql)).to.equal(true);
      expect(mayReadOtherTickers(dayProbe, sql), 'on the day database\'s schema').to.equal(true);
      let differs = false;
      for (let step = 0; step < own.length && !differs; step++) {
        const [a, b] = [oracleDb(step, true), oracleDb(step, false)];
        differs = JSON.stringify(a.prepare(sql).all(bindings(step))) !== JSON.stringify(b.prepare(sql).all(bindings(step)));
        a.close();
        b.close();
      }
      expect(differs, 'the fixture shows the statement a reference row').to.equal(true);
    });
  }

  it('keeps them for a statement on daily_bars, one without :ticker, and one it cannot compile', () => {
    expect(mayReadOtherTickers(probe, 'SELECT close FROM daily_bars WHERE ticker = :ticker')).to.equal(true);
    expect(mayReadOtherTickers(probe, 'SELECT close FROM ohlcv_data WHERE timestamp = :as_of')).to.equal(true);
    expect(mayReadOtherTickers(probe, 'EXPLAIN SELECT 1')).to.equal(true);
    expect(mayReadOtherTickers(dayProbe, 'SELECT close FROM daily_bars WHERE ticker = :ticker')).to.equal(true);
    expect(mayReadOtherTickers(dayProbe, 'SELECT close FROM ohlcv_data WHERE timestamp = :as_of')).to.equal(true);
  });
});

describe('the day database with the scanner\'s statements known up front', () => {
  const context = { references: ['AAA', 'ZZZ'], refs: refs.map((r) => ({ ...r, history: [], daily: [] })), history: [], daily: [] };
  const rowsIn = (db: DayDb) => ((db as unknown as { db: Database.Database }).db.prepare('SELECT COUNT(*) FROM ohlcv_data').pluck().get());

  it("still shows a statement that reads ZZZ's close exactly ZZZ's bars up to the current one", () => {
    const db = new DayDb();
    db.onlyReferencesRead();
    const stmt = db.readOnly.prepare("SELECT close FROM ohlcv_data WHERE ticker = 'ZZZ' AND timestamp <= :as_of ORDER BY timestamp DESC LIMIT 1");
    db.beginDay(own, '5min', context);
    for (let step = 0; step < own.length; step++) {
      db.visible = step;
      const seen = refs[1].bars.filter((b) => b.timestamp <= own[step].timestamp).at(-1)?.close;
      expect(stmt.all({ as_of: own[step].timestamp })).to.deep.equal(seen === undefined ? [] : [{ close: seen }], `step ${step}`);
    }
    db.close();
  });

  it('after days without references, still shows a statement that reads ZZZ exactly its bars on the first day with them', () => {
    const db = new DayDb();
    db.onlyReferencesRead();
    const stmt = db.readOnly.prepare("SELECT close FROM ohlcv_data WHERE ticker = 'ZZZ' AND timestamp <= :as_of ORDER BY timestamp DESC LIMIT 1");
    const alone = { references: [], refs: [], history: [], daily: [] };
    for (const day of [alone, alone, context]) {
      db.beginDay(own, '5min', day);
      for (let step = 0; step < own.length; step++) {
        db.visible = step;
        const seen = day.refs.length === 0 ? undefined : refs[1].bars.filter((b) => b.timestamp <= own[step].timestamp).at(-1)?.close;
        expect(stmt.all({ as_of: own[step].timestamp })).to.deep.equal(seen === undefined ? [] : [{ close: seen }], `step ${step}`);
      }
    }
    db.close();
  });

  it('gives a pinned scanner the same rows as with every reference row in, from one insert a step', () => {
    const { sql, params } = PINNED['opening-range-breakout.sql'];
    const lean = new DayDb();
    lean.onlyReferencesRead();
    const full = new DayDb();
    const [a, b] = [lean.readOnly.prepare(sql), full.readOnly.prepare(sql)];
    for (const day of [0, 1]) {
      lean.beginDay(own, '5min', context);
      full.beginDay(own, '5min', context);
      for (let step = day; step < own.length; step++) {
        lean.visible = full.visible = step;
        expect(a.all(bindings(step, params))).to.deep.equal(b.all(bindings(step, params)), `day ${day} step ${step}`);
        expect(rowsIn(lean)).to.equal(step + 1);
      }
    }
    expect(rowsIn(full)).to.be.greaterThan(own.length);
    lean.close();
    full.close();
  });

  it('fills the day again, in the same row order, when a statement that reads references comes later', () => {
    const lean = new DayDb();
    lean.onlyReferencesRead();
    const full = new DayDb();
    lean.readOnly.prepare(PINNED['the current close'].sql);
    lean.beginDay(own, '5min', context);
    full.beginDay(own, '5min', context);
    const all = 'SELECT rowid, ticker, timestamp FROM ohlcv_data';
    for (const step of [0, 2, 3]) {
      lean.visible = step;
      lean.sync();
      full.visible = step;
      full.sync();
    }
    const late = lean.readOnly.prepare(all);
    expect(late.all()).to.deep.equal(full.readOnly.prepare(all).all());
    lean.close();
    full.close();
  });
});
