/**
 * The portfolio pass on small books computed by hand: every size, refusal, P&L and equity below is worked
 * out in the comment beside it from the candidates, not taken from the code.
 */
import { expect } from 'chai';
import { runPortfolioPass } from '../../../src/portfolio/portfolio-pass.js';
import { computeStats } from '../../../src/stats/compute-stats.js';
import type { TradeRules } from '../../../src/config/trade-rules.js';
import { at, candidate } from '../../helpers/candidates.js';
import { DATE, noRules } from '../../helpers/trade-bars.js';

const account = (over: Partial<TradeRules>) => noRules({ capital: 10_000, ...over });

describe('portfolio: the pass over one account', () => {
  it('takes the strongest of competing entries first, then by ticker', () => {
    // $10 000 buys one 60-share position at $100 ($6 000), not two.
    const a = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 101, strength: 1 });
    const b = candidate({ ticker: 'B', entry: 5, exit: 30, entryQuote: 100, exitQuote: 102, strength: 5 });
    const strong = runPortfolioPass([a, b], account({ size: { mode: 'shares', value: 60 } }));
    expect(strong.trades.map((t) => t.ticker)).to.deep.equal(['B']);
    expect(strong.untraded).to.deep.equal({ buying_power: 1 });
    // Without strengths, the ticker decides: A.
    const even = runPortfolioPass([{ ...b, pattern_strength: null }, { ...a, pattern_strength: null }], account({ size: { mode: 'shares', value: 60 } }));
    expect(even.trades.map((t) => t.ticker)).to.deep.equal(['A']);
  });

  it('fills exits before entries at one instant, so the freed cash buys the next position', () => {
    const x = candidate({ ticker: 'X', entry: 5, exit: 30, entryQuote: 100, exitQuote: 100 });
    const y = candidate({ ticker: 'Y', entry: 30, exit: 60, entryQuote: 50, exitQuote: 51 });
    const r = runPortfolioPass([y, x], account({ size: { mode: 'equity-pct', value: 100 } }));
    // X: 100 shares ($10 000, all of it); at 10:00 X exits at $100 and Y buys 200 shares at $50 with the same $10 000.
    expect(r.trades.map((t) => [t.ticker, t.shares])).to.deep.equal([['X', 100], ['Y', 200]]);
    expect(r.trades[1].pnl).to.equal(200);
  });

  it('sizes equity-pct from the equity at entry, so sizes compound', () => {
    const first = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 110 });
    const second = candidate({ ticker: 'B', entry: 35, exit: 60, entryQuote: 50, exitQuote: 50 });
    const r = runPortfolioPass([first, second], account({ size: { mode: 'equity-pct', value: 50 } }));
    // A: 50 % of $10 000 at $100 = 50 shares, +$10 each: $500. B: 50 % of $10 500 at $50 = 105 shares.
    expect(r.trades.map((t) => [t.ticker, t.shares, t.pnl])).to.deep.equal([['A', 50, 500], ['B', 105, 0]]);
  });

  it('sizes dollars, risk and risk-pct, rounding shares down', () => {
    const c = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 40, exitQuote: 40, risk: 3 });
    const size = (mode: 'dollars' | 'risk' | 'risk-pct', value: number) => runPortfolioPass([c], account({ size: { mode, value } })).trades[0]?.shares;
    expect(size('dollars', 1000)).to.equal(25); //      $1 000 / $40
    expect(size('risk', 100)).to.equal(33); //          $100 / $3 a share = 33.3
    expect(size('risk-pct', 1)).to.equal(33); //        1 % of $10 000 = $100 at risk
    expect(runPortfolioPass([{ ...c, risk: null }], account({ size: { mode: 'risk', value: 100 } })).untraded).to.deep.equal({ 'no-size': 1 });
  });

  it('charges the commission minimum on the final size, not a scaled one', () => {
    const c = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 101 });
    const costs = { commissionPerShare: 0.005, commissionMin: 1 };
    // 10 shares: 10 × 0.005 = $0.05 a fill, raised to the $1 minimum: $2; P&L 10 × $1 − $2 = $8.
    const small = runPortfolioPass([c], account({ ...costs, size: { mode: 'dollars', value: 1000 } })).trades[0];
    expect(small).to.include({ shares: 10, commission: 2, pnl: 8 });
    // 90 shares: $0.45 a fill, still the minimum: $2, so P&L 90 − 2 = $88 (scaling the 10-share trade would say 72).
    const large = runPortfolioPass([c], account({ ...costs, size: { mode: 'shares', value: 90 } })).trades[0];
    expect(large).to.include({ shares: 90, commission: 2, pnl: 88 });
  });

  it('shows what slippage cost, and gross against net P&L', () => {
    // The fill price and commission count against buying power: 100 × $100.10 + $1 is more than $10 000.
    const tight = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 101, slippageBps: 10 });
    expect(runPortfolioPass([tight], account({ slippageBps: 10, commissionMin: 1 })).untraded).to.deep.equal({ buying_power: 1 });
    // 10 bps: buys at 100.1, sells at 100.899; 100 shares lose $10 + $10.1 to slippage.
    const c = candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 101, slippageBps: 10 });
    const rules = account({ capital: 20_000, slippageBps: 10, commissionMin: 1 });
    const r = runPortfolioPass([c], rules);
    expect(r.trades[0].slippage).to.be.closeTo(20.1, 1e-6);
    expect(r.trades[0].pnl).to.be.closeTo(100 * (100.899 - 100.1) - 2, 1e-6); // 77.9
    const stats = computeStats({ trades: r.trades, signals: 1, untraded: {}, sessions: new Map(), capital: 20_000, equity: r.equity });
    expect(stats.total_commission).to.equal(2);
    expect(stats.total_slippage).to.be.closeTo(20.1, 1e-6);
    expect(stats.gross_pnl).to.be.closeTo(100, 1e-6); // 100 shares × $1 at the quoted prices
  });

  it('reserves buying power for shorts by their notional', () => {
    const short = candidate({ ticker: 'S', short: true, entry: 5, exit: 60, entryQuote: 100, exitQuote: 100 });
    const long = candidate({ ticker: 'L', entry: 10, exit: 60, entryQuote: 100, exitQuote: 100 });
    // The short's $6 000 plus the long's $6 000 pass $10 000: the long is refused.
    const cash = runPortfolioPass([short, long], account({ size: { mode: 'shares', value: 60 } }));
    expect(cash.trades.map((t) => t.ticker)).to.deep.equal(['S']);
    expect(cash.untraded).to.deep.equal({ buying_power: 1 });
    // A 2× margin account holds both.
    expect(runPortfolioPass([short, long], account({ size: { mode: 'shares', value: 60 }, maxExposure: 2 })).trades).to.have.length(2);
  });

  it('holds at most --max-positions and one position per ticker', () => {
    const c = (ticker: string, entry: number) => candidate({ ticker, entry, exit: 60, entryQuote: 10, exitQuote: 10 });
    const r = runPortfolioPass([c('A', 5), c('B', 10), c('C', 15), c('A', 20)], account({ maxPositions: 2, size: { mode: 'shares', value: 10 } }));
    expect(r.trades.map((t) => t.ticker)).to.deep.equal(['A', 'B']);
    expect(r.untraded).to.deep.equal({ max_positions: 1, already_in_position: 1 });
  });

  it('marks open positions at each bar close, so drawdown is intraday', () => {
    // 100 shares at $100 fall to $90 at 09:45 and come back to $100 at the exit: the trade made 0, the account fell 10 %.
    const c = candidate({ ticker: 'A', entry: 5, exit: 25, entryQuote: 100, exitQuote: 100, closes: [[10, 95], [15, 90], [20, 98]] });
    const r = runPortfolioPass([c], account({}));
    expect(r.equity.map((p) => [p.ts, p.equity])).to.deep.equal([[at(5), 10_000], [at(5), 10_000], [at(10), 9_500], [at(15), 9_000], [at(20), 9_800], [at(25), 10_000]]);
    const stats = computeStats({ trades: r.trades, signals: 1, untraded: {}, sessions: new Map(), capital: 10_000, equity: r.equity });
    expect(stats.max_drawdown_pct).to.equal(10);
    expect(stats.max_drawdown_usd).to.equal(1000);
  });

  it('is ruined when equity reaches zero: open positions close at their marks and nothing trades after', () => {
    // Short 10 at $100 on $1 000: at $150 equity is $500, at $200 it is 0. Closed there: −$1 000.
    const short = candidate({ ticker: 'S', short: true, entry: 5, exit: 60, entryQuote: 100, exitQuote: 120, closes: [[10, 150], [15, 200], [20, 130]] });
    const later = candidate({ ticker: 'L', entry: 30, exit: 60, entryQuote: 10, exitQuote: 11 });
    const r = runPortfolioPass([short, later], account({ capital: 1000, size: { mode: 'shares', value: 10 } }));
    expect(r.ruinedAt).to.equal(at(15));
    expect(r.trades).to.have.length(1);
    expect(r.trades[0]).to.include({ exit_reason: 'ruin', exit_price: 200, exit_ts: at(15), exit_time: '09:45:00', bars_held: 2, pnl: -1000 });
    expect(r.untraded).to.deep.equal({ ruined: 1 });
    expect(r.equity[r.equity.length - 1].equity).to.equal(0);
    const stats = computeStats({ trades: r.trades, signals: 2, untraded: r.untraded, sessions: new Map(), capital: 1000, equity: r.equity, ruinedAt: `${DATE} 09:45:00` });
    expect(stats.ruined_at).to.equal(`${DATE} 09:45:00`);
    expect(stats.final_equity).to.equal(0);
  });

  it('is ruined also by an exit that leaves nothing, with no position left open', () => {
    // Short 10 at $100 on $1 000, out at $200 by its own exit rule before any bar closed: −$1 000, equity 0.
    const short = candidate({ ticker: 'S', short: true, entry: 5, exit: 10, entryQuote: 100, exitQuote: 200 });
    const later = candidate({ ticker: 'L', entry: 30, exit: 60, entryQuote: 10, exitQuote: 11 });
    const r = runPortfolioPass([short, later], account({ capital: 1000, size: { mode: 'shares', value: 10 } }));
    expect(r.ruinedAt).to.equal(at(10));
    expect(r.trades.map((t) => [t.exit_reason, t.pnl])).to.deep.equal([['eod', -1000]]);
    expect(r.untraded).to.deep.equal({ ruined: 1 });
  });

  it('gives the same trades and equity whatever order the candidates arrive in', () => {
    const list = [
      candidate({ ticker: 'A', entry: 5, exit: 30, entryQuote: 100, exitQuote: 101, closes: [[10, 99]] }),
      candidate({ ticker: 'B', entry: 5, exit: 40, entryQuote: 100, exitQuote: 98, strength: 2 }),
      candidate({ ticker: 'C', entry: 30, exit: 50, entryQuote: 20, exitQuote: 21 }),
    ];
    const rules = account({ size: { mode: 'equity-pct', value: 60 } });
    expect(runPortfolioPass([...list].reverse(), rules)).to.deep.equal(runPortfolioPass(list, rules));
  });
});
