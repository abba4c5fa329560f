/**
 * Scanner parameters end to end: a value given to a run reaches each kind of scanner (its signals equal an
 * independent computation with that value), the defaults give the bundled scanners' results, and the values
 * are the run's identity (plan hash), in any order given and for any thread count.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { hashPlan, resolveRun, runBacktest } from '../../src/index.js';
import { ensureBundledStore } from '../../src/data/bundled-store.js';
import { publicSignal } from '../../src/report/format-json.js';
import { readCsvBars, writeStore, type TestBar } from '../helpers/bars.js';
import { writeEdgeStore } from '../helpers/edge-store.js';
import { bruteForceReplay, moduleLogic, sqlLogic, type OracleBar, type StepLogic } from '../helpers/oracle.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const ORB = path.join(ROOT, 'scanners/opening-range-breakout.sql');
const VWAP = path.join(ROOT, 'scanners/vwap-reclaim.ts');
const RISE = path.join(ROOT, 'test/fixtures/scanners/param-rise.py');

function bundledBars(): TestBar[] {
  const dir = path.join(ROOT, 'data', 'bundled');
  return fs.readdirSync(dir).flatMap((f) => readCsvBars(zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8')));
}

/**
 * The opening-range breakout in plain TypeScript, from its description: the range is the bars before
 * 09:30 + 5 × orBars minutes; after it, a close beyond the range on volume above volMult × the average volume
 * of the day's earlier bars. Direction only: the SQL's rounding of its metrics is SQLite's.
 */
function orbLogic(orBars: number, volMult: number): StepLogic {
  const minutes = 9 * 60 + 30 + 5 * orBars;
  const end = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
  return ({ visible }) => {
    const now = visible[visible.length - 1];
    const opening = visible.filter((b: OracleBar) => b.time_of_day < end);
    const earlier = visible.slice(0, -1);
    if (now.time_of_day < end || opening.length === 0 || earlier.length === 0) return null;
    const high = Math.max(...opening.map((b) => b.high));
    const low = Math.min(...opening.map((b) => b.low));
    const avg = earlier.reduce((s, b) => s + b.volume, 0) / earlier.length;
    if (!(high > low) || !(now.close > high || now.close < low) || !(now.volume > volMult * avg)) return null;
    return { direction: now.close > high ? 'LONG' : 'SHORT' };
  };
}

const keyOf = (s: { ticker: string; signal_date: string; signal_time: string; direction: string | null }) => `${s.ticker} ${s.signal_date} ${s.signal_time} ${s.direction}`;

describe('scanner parameters, end to end', function () {
  const tmp = useTempDir();
  let db: string;
  let bars: TestBar[];
  before(async () => {
    db = await ensureBundledStore();
    bars = bundledBars();
  });

  describe('SQL: -- param: declarations bound as :name', () => {
    it('its defaults give what the description says with 6 bars and 1.5× volume', async () => {
      const result = await runBacktest({ db, scanner: ORB, threads: 2, resultsDb: ':memory:' });
      const expected = bruteForceReplay(bars, orbLogic(6, 1.5), { warmup: 6 });
      expect(expected.length).to.be.greaterThan(20);
      expect(result.signals.map(publicSignal).map(keyOf)).to.deep.equal(expected.map(keyOf));
    });

    it('at its defaults it gives the signals of the scanner with the constants written in, on real, thin and extended-hours data', async () => {
      const constants = path.join(ROOT, 'test/fixtures/scanners/orb-constants.sql');
      const thin = writeStore(path.join(tmp(), 'dbb.db'), readCsvBars(fs.readFileSync(path.join(ROOT, 'test/fixtures/thin-dbb.csv'), 'utf8')));
      const edge = path.join(tmp(), 'edge.db');
      writeEdgeStore(edge);
      for (const [store, extra] of [[db, {}], [thin, { signals: 'all' }], [edge, { signals: 'all', session: 'extended', warmup: 2 }]] as const) {
        const o = { db: store, threads: 2, resultsDb: ':memory:', ...extra };
        const now = await runBacktest({ ...o, scanner: ORB });
        const before = await runBacktest({ ...o, scanner: constants });
        expect(now.signals.length).to.be.greaterThan(0);
        expect(JSON.stringify(now.signals.map(publicSignal))).to.equal(JSON.stringify(before.signals.map(publicSignal)));
      }
    });

    it('--param or_bars=3 --param vol_mult=2.5 reaches the statement: signals equal the computation with those values', async () => {
      const result = await runBacktest({ db, scanner: ORB, threads: 2, resultsDb: ':memory:', signals: 'all', params: { or_bars: 3, vol_mult: 2.5 } });
      const expected = bruteForceReplay(bars, orbLogic(3, 2.5), { warmup: 6, signals: 'all' });
      const defaults = bruteForceReplay(bars, orbLogic(6, 1.5), { warmup: 6, signals: 'all' });
      expect(expected.map(keyOf)).to.not.deep.equal(defaults.map(keyOf));
      expect(result.signals.map(publicSignal).map(keyOf)).to.deep.equal(expected.map(keyOf));
      // And every field, against the SQL itself run by the brute-force replay with the test's own bindings.
      const sql = fs.readFileSync(ORB, 'utf8');
      expect(result.signals.map(publicSignal)).to.deep.equal(bruteForceReplay(bars, sqlLogic(sql, { or_bars: 3n, vol_mult: 2.5 }), { warmup: 6, signals: 'all' }));
    });

    it('--mode naive passes the values to its process per step, with the same signals as realtime', async () => {
      // The last 8 bars of each day (warmup 70): 16 processes, and signals on both days.
      const o = { db, scanner: ORB, tickers: ['TSLA'], from: '2025-11-03', to: '2025-11-04', warmup: 70, signals: 'all' as const, resultsDb: ':memory:', params: { or_bars: 3, vol_mult: 1.1 } };
      const realtime = await runBacktest({ ...o, threads: 1 });
      const naive = await runBacktest({ ...o, threads: 2, mode: 'naive' });
      expect(new Set(realtime.signals.map((x) => x.signal_date)).size, 'signals on both days').to.equal(2);
      expect(naive.signals.map(publicSignal)).to.deep.equal(realtime.signals.map(publicSignal));
    });
  });

  describe('module: params typed through defineScanner, read in ctx.params', () => {
    it('--param minBars=10 reaches the scan: signals equal the scanner computed with 10, not with 6', async () => {
      const result = await runBacktest({ db, scanner: VWAP, threads: 2, resultsDb: ':memory:', signals: 'all', params: { minBars: 10 } });
      const expected = bruteForceReplay(bars, await moduleLogic(VWAP, { minBars: 10 }), { warmup: 12, signals: 'all' });
      const defaults = bruteForceReplay(bars, await moduleLogic(VWAP, { minBars: 6 }), { warmup: 12, signals: 'all' });
      expect(expected.length).to.be.greaterThan(5);
      expect(expected.length).to.be.lessThan(defaults.length);
      expect(result.signals.map(publicSignal)).to.deep.equal(expected);
      // Every signal waited at least 10 bars on the other side, and its strength is measured in units of 10.
      for (const s of result.signals) {
        const run = (s.metrics.bars_below ?? s.metrics.bars_above) as number;
        expect(run).to.be.at.least(10);
        expect(s.pattern_strength).to.equal(Math.round((run / 10) * 10_000) / 10_000);
      }
    });
  });

  describe('script: BARWISE_PARAM_<NAME> per step, params in each persistent request', () => {
    const expectedRise = (minRise: number, side: string, seen: string) => bruteForceReplay(bars, ({ visible }) =>
      (visible[visible.length - 1].close >= visible[0].close * (1 + minRise / 100) ? { direction: side, metrics: { seen_params: seen } } : null),
    { warmup: 70, signals: 'all', tickers: ['NVDA', 'TSLA'], from: '2025-11-03', to: '2025-11-04' });

    for (const persistent of [false, true]) {
      it(`${persistent ? 'persistent' : 'started per step'}: the values given reach the script, BARWISE_PARAMS with sorted keys`, async () => {
        const result = await runBacktest({
          // The last 8 bars of each day (warmup 70): 32 steps, a process each when started per step.
          db, scanner: RISE, tickers: ['NVDA', 'TSLA'], from: '2025-11-03', to: '2025-11-04', warmup: 70, signals: 'all', threads: 2,
          resultsDb: ':memory:', persistent, params: { side: 'SHORT', min_rise_pct: -1 },
        });
        const expected = expectedRise(-1, 'SHORT', '{"echo":true,"min_rise_pct":-1,"side":"SHORT"}');
        expect(result.failures).to.deep.equal([]);
        // The default (0.5 %) fires less often on these days: the signals show the value given reached the script.
        expect(expected.length).to.be.greaterThan(expectedRise(0.5, 'SHORT', '').length);
        expect(result.signals.map(publicSignal)).to.deep.equal(expected);
      });
    }
  });

  describe('the values are the run plan\'s identity', () => {
    const base = () => ({ db, scanner: ORB, tickers: ['AAPL'], from: '2025-11-03', to: '2025-11-04', resultsDb: ':memory:' });

    it('holds every declared parameter, defaults filled, keys sorted; the result says them too', async () => {
      const plan = await resolveRun({ ...base(), params: { vol_mult: 2 } });
      expect(plan.params).to.deep.equal({ or_bars: 6, vol_mult: 2 });
      expect(Object.keys(plan.params)).to.deep.equal(['or_bars', 'vol_mult']);
      const result = await runBacktest({ ...base(), threads: 1, params: { vol_mult: 2 } });
      expect(result.run.params).to.deep.equal({ or_bars: 6, vol_mult: 2 });
      const none = await runBacktest({ ...base(), threads: 1, scanner: path.join(ROOT, 'scanners/volume-spike.sql') });
      expect('params' in none.run).to.equal(false);
    });

    it('the hash changes with a value and not with the order the values are given in', async () => {
      const [dflt, explicit, a, b, c] = await Promise.all([
        resolveRun(base()),
        resolveRun({ ...base(), params: { vol_mult: 1.5, or_bars: 6 } }),
        resolveRun({ ...base(), params: { vol_mult: 2.5, or_bars: 3 } }),
        resolveRun({ ...base(), params: { or_bars: '3', vol_mult: '2.5' } as never }),
        resolveRun({ ...base(), params: { or_bars: 3, vol_mult: 2.6 } }),
      ]);
      expect(hashPlan(explicit)).to.equal(hashPlan(dflt));
      expect(hashPlan(b)).to.equal(hashPlan(a));
      expect(hashPlan(a)).to.not.equal(hashPlan(dflt));
      expect(hashPlan(c)).to.not.equal(hashPlan(a));
    });

    it('a scanner without parameters keeps the hash of a plan that has no params field at all', async () => {
      const plan = await resolveRun({ ...base(), scanner: path.join(ROOT, 'scanners/volume-spike.sql') });
      expect(plan.params).to.deep.equal({});
      const { params: _none, ...without } = plan;
      expect(hashPlan(without as typeof plan)).to.equal(hashPlan(plan));
    });

    it('trade.stopPct as a parameter is the stop rule: the same plan and trades as trade.stopPct', async () => {
      const viaParam = await runBacktest({ ...base(), tickers: undefined, threads: 2, params: { 'trade.stopPct': 0.5, vol_mult: 1.2 } });
      const viaRule = await runBacktest({ ...base(), tickers: undefined, threads: 2, params: { vol_mult: 1.2 }, trade: { stopPct: 0.5 } });
      expect(viaParam.trades!.length).to.be.greaterThan(0);
      expect(JSON.stringify(viaParam.trades)).to.equal(JSON.stringify(viaRule.trades));
      const [p1, p2] = await Promise.all([
        resolveRun({ ...base(), params: { 'trade.stopPct': 0.5, vol_mult: 1.2 } }),
        resolveRun({ ...base(), params: { vol_mult: 1.2 }, trade: { stopPct: 0.5 } }),
      ]);
      expect(p1.trade?.stopPct).to.equal(0.5);
      expect(p1.params).to.deep.equal({ or_bars: 6, vol_mult: 1.2 });
      expect(hashPlan(p1)).to.equal(hashPlan(p2));
    });

    it('gives byte-identical signals with 1 and 2 threads', async () => {
      const outputs: string[] = [];
      for (const threads of [1, 2]) {
        const r = await runBacktest({ db, scanner: ORB, threads, resultsDb: ':memory:', signals: 'all', params: { or_bars: 4, vol_mult: 1.25 } });
        outputs.push(JSON.stringify(r.signals.map(publicSignal)));
      }
      expect(outputs[0].length).to.be.greaterThan(100);
      expect(outputs[1]).to.equal(outputs[0]);
    });
  });
});
