/**
 * Trading on the bundled data, end to end: the CLI's outputs, determinism across thread counts, the results
 * database, and end-of-day trades checked against a recomputation from the raw bars (plain SQL, no src/).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { runBacktest } from '../../src/index.js';
import type { Trade } from '../../src/types.js';
import { bruteForcePortfolio, nyParts, type OracleCandidate } from '../helpers/oracle.js';
import { ROOT, runCli, useTempDir } from '../helpers/temp.js';

const MARKET_DB = path.join(ROOT, 'data', 'market.db');

describe('trades: end to end on the bundled data', function () {
  const tmp = useTempDir();

  it('writes the same trades and stats for --threads 1 and 2, to JSON, CSV and the results database', async () => {
    const texts: string[] = [];
    for (const threads of ['1', '2']) {
      const out = path.join(tmp(), `t${threads}.json`);
      const r = await runCli(['backtest', '--trade', '--stop-pct', '1', '--target-pct', '2', '--threads', threads, '--out', out,
        '--trades-csv', path.join(tmp(), `t${threads}.csv`), '--results-db', path.join(tmp(), 'runs.db')]);
      expect(r.code, r.stderr).to.equal(0);
      const summary = JSON.parse(r.stdout.trim());
      expect(summary.stats.trades).to.be.greaterThan(50);
      const text = fs.readFileSync(out, 'utf8');
      texts.push(text.slice(text.indexOf('\n"signals"')));
    }
    expect(texts[1]).to.equal(texts[0]);

    const json = JSON.parse(fs.readFileSync(path.join(tmp(), 't1.json'), 'utf8'));
    const trades = json.trades as Trade[];
    expect(json.stats.trades).to.equal(trades.length);
    expect(json.stats.win_rate_pct).to.be.closeTo((100 * trades.filter((t) => t.pnl > 0).length) / trades.length, 1e-6);
    expect(new Set(trades.map((t) => t.exit_reason))).to.include.members(['stop', 'target', 'eod']);

    const csv = fs.readFileSync(path.join(tmp(), 't1.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).to.have.length(trades.length + 1);
    const head = csv[0].split(',');
    const first = Object.fromEntries(csv[1].split(',').map((v, i) => [head[i], v]));
    expect(first).to.include({ ticker: trades[0].ticker, exit_reason: trades[0].exit_reason, pnl: String(trades[0].pnl) });

    const rdb = new Database(path.join(tmp(), 'runs.db'), { readonly: true });
    const stored = rdb.prepare('SELECT * FROM trades WHERE run_id = ? ORDER BY date, signal_ts, ticker, seq').all(json.run.id) as (Trade & { run_id?: number })[];
    rdb.close();
    expect(stored.map(({ run_id: _, ...t }) => t)).to.deep.equal(trades);
  });

  it('trades each signal from the next open to the last close in one cash account, as recomputed from the raw bars', async () => {
    const result = await runBacktest({ scanner: path.join(ROOT, 'scanners/opening-range-breakout.sql'), threads: 2, resultsDb: ':memory:', trade: {} });
    const db = new Database(MARKET_DB, { readonly: true });
    const read = db.prepare("SELECT timestamp, open, high, low, close FROM ohlcv_data WHERE ticker = ? AND timeframe = '5min' AND timestamp BETWEEN ? AND ? ORDER BY timestamp");
    const byKey = new Map((result.trades ?? []).map((t) => [`${t.ticker} ${t.date} ${t.signal_time}`, t]));
    const candidates: OracleCandidate[] = [];
    const paths = new Map<string, { entry: number; exit: number; held: { low: number; high: number; timestamp: number }[]; sign: number }>();
    let lastBar = 0;
    for (const s of result.signals) {
      // The regular-session bars of the signal's day, selected by New York wall-clock time.
      const rows = (read.all(s.ticker, s.timestamp - 86_400_000, s.timestamp + 86_400_000) as { timestamp: number; open: number; high: number; low: number; close: number }[])
        .filter((b) => { const p = nyParts(b.timestamp); return p.date === s.signal_date && p.time >= '09:30:00' && p.time < '16:00:00'; });
      const i = rows.findIndex((b) => b.timestamp === s.timestamp);
      if (i === rows.length - 1) {
        expect(byKey.get(`${s.ticker} ${s.signal_date} ${s.signal_time}`), `${s.ticker} ${s.signal_date}: a last-bar signal is not traded`).to.equal(undefined);
        lastBar++;
        continue;
      }
      const held = rows.slice(i + 1);
      const sign = s.direction === 'SHORT' ? -1 : 1;
      const key = `${s.ticker} ${s.signal_date} ${s.signal_time}`;
      paths.set(key, { entry: held[0].open, exit: held[held.length - 1].close, held, sign });
      candidates.push({
        ticker: s.ticker, date: s.signal_date, signal_ts: s.timestamp, seq: s.seq, strength: s.pattern_strength, sign,
        entry_ts: held[0].timestamp, exit_ts: held[held.length - 1].timestamp + 300_000, entry: held[0].open, exit: held[held.length - 1].close, risk: null,
        closes: held.slice(0, -1).map((b) => ({ ts: b.timestamp + 300_000, close: b.close })),
      });
    }
    db.close();
    const account = bruteForcePortfolio(candidates, { capital: 100_000, maxPositions: null, maxExposure: 1, size: { mode: 'shares', value: 100 }, slippageBps: 0, commissionPerShare: 0, commissionMin: 0 });
    // The same signals traded, in the order of their signals (date, bar, ticker, sequence).
    const key = (x: { date: string; signal_ts: number; ticker: string; seq: number }) => [x.date, String(x.signal_ts).padStart(15, '0'), x.ticker, x.seq].join('\u0000');
    expect(result.trades!.map(key)).to.deep.equal(account.trades.map(key).sort());
    const sized = new Map(account.trades.map((t) => [key(t), t]));
    for (const t of result.trades!) expect(t.shares).to.equal(sized.get(key(t))!.shares);
    for (const t of result.trades!) {
      const p = paths.get(`${t.ticker} ${t.date} ${t.signal_time}`)!;
      expect(t.entry_price).to.equal(p.entry);
      expect(t.exit_price).to.equal(p.exit);
      expect(t.exit_reason).to.equal('eod');
      expect(t.bars_held).to.equal(p.held.length);
      expect(t.entry_time).to.equal(nyParts(p.held[0].timestamp).time);
      expect(t.pnl).to.be.closeTo(p.sign * (p.exit - p.entry) * 100, 1e-6);
      const worst = p.sign > 0 ? Math.min(...p.held.map((b) => b.low)) : Math.max(...p.held.map((b) => b.high));
      const best = p.sign > 0 ? Math.max(...p.held.map((b) => b.high)) : Math.min(...p.held.map((b) => b.low));
      expect(t.mae_pct).to.be.closeTo(Math.min(0, (p.sign * (worst - p.entry) * 100) / p.entry), 1e-5);
      expect(t.mfe_pct).to.be.closeTo(Math.max(0, (p.sign * (best - p.entry) * 100) / p.entry), 1e-5);
    }
    expect(result.trades!.length).to.be.greaterThan(50);
    // The cash account refuses some: the bundled data has more concurrent signals than $100 000 buys at 100 shares.
    expect(account.untraded.buying_power).to.be.greaterThan(0);
    expect(result.stats!.untraded).to.deep.equal({ 'last-bar': lastBar, ...account.untraded });
    expect(result.stats!.final_equity).to.be.closeTo(100_000 + account.trades.reduce((x, t) => x + t.pnl, 0), 1e-4);
    // The equity series is the brute-force account's at every instant it has.
    for (const p of result.equity!) expect(p.equity, String(p.ts)).to.be.closeTo(account.equityAt.get(p.ts) ?? 100_000, 1e-4);
  });

  it('with --signals all, holds one position per ticker at a time and accounts for every signal', async () => {
    const result = await runBacktest({ scanner: path.join(ROOT, 'scanners/volume-spike.sql'), signals: 'all', threads: 2, resultsDb: ':memory:', trade: { maxBars: 6 } });
    const trades = result.trades!;
    const untraded = Object.values(result.stats!.untraded).reduce((a, b) => a + b, 0);
    expect(trades.length + untraded).to.equal(result.signals.length);
    expect(result.stats!.untraded.already_in_position).to.be.greaterThan(0);
    for (let k = 1; k < trades.length; k++) {
      const [a, b] = [trades[k - 1], trades[k]];
      const prevSame = trades.slice(0, k).filter((x) => x.ticker === b.ticker && x.date === b.date).pop();
      if (prevSame) expect(b.entry_ts, `${b.ticker} ${b.date} ${b.signal_time}`).to.be.at.least(prevSame.exit_ts);
      expect(a.date <= b.date).to.equal(true);
      expect(b.bars_held).to.be.at.most(6);
    }
  });

  it('keeps only the trades of the signals --max-signals keeps', async () => {
    const result = await runBacktest({ scanner: path.join(ROOT, 'scanners/volume-spike.sql'), signals: 'all', maxSignals: 10, threads: 2, resultsDb: ':memory:', trade: {} });
    const kept = new Set(result.signals.map((s) => `${s.ticker} ${s.signal_date} ${s.signal_time}`));
    expect(result.signals).to.have.length(10);
    expect(result.trades!.length).to.be.greaterThan(0);
    for (const t of result.trades!) expect(kept.has(`${t.ticker} ${t.date} ${t.signal_time}`)).to.equal(true);
  });

  it('refuses contradictory sizing with exit code 2', async () => {
    const r = await runCli(['backtest', '--trade', '--shares', '10', '--risk-per-trade', '100', '--stop-pct', '1', '--results-db', ':memory:']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--shares and --risk-per-trade');
  });
});
