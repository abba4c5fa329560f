/**
 * The benchmark end to end through the CLI, on a small store: with SPY in it, the buy and hold from the first
 * session's first regular open to the last session's last close, recomputed here from the raw bars by plain
 * SQL; without it, a note and the run otherwise unchanged; `--benchmark none` turns it off; another ticker can
 * be named; the results database and `runs --compare` carry the new figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { makeDay, writeStore, type TestBar } from '../helpers/bars.js';
import { nyParts } from '../helpers/oracle.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const DATES = ['2025-10-29', '2025-10-30', '2025-10-31', '2025-11-03'];
const SCANNER = path.join(ROOT, 'test/fixtures/scanners/every-bar.sql');

/** AAA traded; SPY and QQQ with pre-market bars too, which the buy must skip. */
function bars(withSpy: boolean): TestBar[] {
  const out: TestBar[] = [];
  for (const d of DATES) {
    out.push(...makeDay('AAA', d, { slots: 30 }));
    out.push(...makeDay('QQQ', d, { start: '08:00', slots: 60 }));
    if (withSpy) out.push(...makeDay('SPY', d, { start: '08:00', slots: 110 }));
  }
  return out;
}

/** Buy and hold over the regular-session bars of each date, from the raw table. */
function recomputeBuyAndHold(db: string, ticker: string) {
  const rows = new Database(db, { readonly: true })
    .prepare('SELECT timestamp, open, close FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp').all(ticker) as { timestamp: number; open: number; close: number }[];
  const regular = rows.filter((r) => { const t = nyParts(r.timestamp).time; return t >= '09:30:00' && t < '16:00:00'; });
  const closes = DATES.map((d) => regular.filter((r) => nyParts(r.timestamp).date === d).at(-1)!.close);
  const start = regular[0].open;
  const daily = closes.map((c, i) => c / (i === 0 ? start : closes[i - 1]) - 1);
  return { returnPct: 100 * (closes.at(-1)! / start - 1), daily };
}

describe('benchmark: end to end through the CLI', function () {
  const tmp = useTempDir();
  let withSpy: string;
  let withoutSpy: string;

  before(() => {
    withSpy = writeStore(path.join(tmp(), 'with-spy.db'), bars(true));
    withoutSpy = writeStore(path.join(tmp(), 'market.db'), bars(false));
  });

  const backtest = async (db: string, extra: string[], results = ':memory:') => {
    const out = path.join(tmp(), `out-${Math.random().toString(36).slice(2)}.json`);
    const r = await runCli(['backtest', '--db', db, '--scanner', SCANNER, '--tickers', 'AAA', '--trade', '--out', out, '--results-db', results, ...extra]);
    expect(r.code, r.stderr).to.equal(0);
    return { r, json: JSON.parse(fs.readFileSync(out, 'utf8')) };
  };

  it('compares with SPY by default: its return, drawdown, excess return, beta and correlation', async () => {
    const { json } = await backtest(withSpy, []);
    const b = json.stats.benchmark;
    const expected = recomputeBuyAndHold(withSpy, 'SPY');
    expect(json.run.trade.benchmark).to.equal('SPY');
    expect(b).to.include({ ticker: 'SPY', sessions: 4, missing_sessions: 0, note: null });
    expect(b.return_pct).to.be.closeTo(expected.returnPct, 1e-5);
    expect(b.excess_return_pct).to.be.closeTo(json.stats.total_return_pct - expected.returnPct, 1e-5);
    expect(b.beta).to.be.a('number');
    expect(Math.abs(b.correlation)).to.be.at.most(1);
    // Every trade closes on its day: the strategy's daily returns are its P&L by date over the equity at the start of the date.
    let equity = json.stats.capital;
    const strat = DATES.map((d) => {
      const pnl = json.trades.filter((t: { date: string }) => t.date === d).reduce((s: number, t: { pnl: number }) => s + t.pnl, 0);
      const r = pnl / equity;
      equity += pnl;
      return r;
    });
    const m = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length;
    const cov = strat.reduce((a, v, i) => a + (v - m(strat)) * (expected.daily[i] - m(expected.daily)), 0);
    const vb = expected.daily.reduce((a, v) => a + (v - m(expected.daily)) ** 2, 0);
    expect(b.beta).to.be.closeTo(cov / vb, 1e-4);
  });

  it('without SPY in the store, says so in a note and still reports everything else', async () => {
    const { r, json } = await backtest(withoutSpy, []);
    expect(json.stats.benchmark.note).to.equal('benchmark SPY is not in market.db; pass --benchmark TICKER or none');
    expect(json.stats.benchmark.return_pct).to.equal(null);
    expect(json.stats.trades).to.equal(DATES.length);
    expect(JSON.parse(r.stdout.trim()).stats.benchmark.note).to.contain('pass --benchmark TICKER or none');
  });

  it('takes another ticker, regular session only, and --benchmark none turns it off', async () => {
    const { json } = await backtest(withoutSpy, ['--benchmark', 'qqq']);
    expect(json.stats.benchmark.ticker).to.equal('QQQ');
    expect(json.stats.benchmark.return_pct).to.be.closeTo(recomputeBuyAndHold(withoutSpy, 'QQQ').returnPct, 1e-5);
    const off = await backtest(withSpy, ['--benchmark', 'none']);
    expect(off.json.stats.benchmark).to.equal(null);
    expect(off.json.run.trade.benchmark).to.equal(null);
  });

  it('records the figures with the run, and runs --compare sets the Performance Summary\'s All column side by side', async () => {
    const results = path.join(tmp(), 'runs.db');
    const a = await backtest(withSpy, [], results);
    const b = await backtest(withSpy, ['--stop-pct', '0.2'], results);
    const stored = new Database(results, { readonly: true }).prepare('SELECT stats_json FROM runs WHERE id = ?').pluck().get(a.json.run.id) as string;
    expect(JSON.parse(stored).benchmark).to.deep.equal(a.json.stats.benchmark);
    const cmp = await runCli(['runs', '--results-db', results, '--compare', String(a.json.run.id), String(b.json.run.id), '--json']);
    expect(cmp.code, cmp.stderr).to.equal(0);
    const deltas = JSON.parse(cmp.stdout).deltas as { metric: string; a: number; b: number }[];
    const net = deltas.find((d) => d.metric === 'summary.net_profit')!;
    expect([net.a, net.b]).to.deep.equal([a.json.stats.summary.all.net_profit, b.json.stats.summary.all.net_profit]);
  });
});
