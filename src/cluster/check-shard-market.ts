/**
 * A worker checks, before it runs a shard, that its own market database holds the very bars the coordinator
 * fingerprinted for the shard's tickers over the run's dates (fingerprint-market.ts). The shard's tickers are
 * measured in one aggregate, not one each: on one machine the worker re-reads every bar the coordinator
 * fingerprinted, and one aggregate per ticker cost 1.6× one over them all (bench/README.md "Queue"). Each ticker
 * is measured once per plan: references, read by every shard, are not read again.
 */
import { BarwiseError } from '../errors.js';
import { fingerprintMarket, type MarketFingerprint } from '../plan/fingerprint-market.js';
import type { MarketStore } from '../data/market-store.js';
import { DAILY_TIMEFRAME } from '../runtime/build-context.js';
import type { ShardPlan } from './shard-job.js';

const FIGURES = ['bars', 'first bar timestamp', 'last bar timestamp', 'checksum of prices and volumes'] as const;

export class ShardMarketCheck {
  private readonly checked = new Map<string, Set<string>>();

  constructor(private readonly store: MarketStore) {}

  /** Throws MARKET_MISMATCH naming the first ticker (in the shard's order) and the figure that differs, or the ticker this database lacks. */
  check(planId: string, plan: ShardPlan, tickers: Iterable<string>, expected: MarketFingerprint['tickers']): void {
    const done = this.checked.get(planId) ?? new Set<string>();
    this.checked.set(planId, done);
    const context = plan.config.context ?? { references: [], lookbackDays: 0, dailyBars: 0 };
    const names = [...new Set([...tickers, ...context.references])].filter((name) => !done.has(name));
    if (names.length === 0) return;
    const local = fingerprintMarket(this.store, { tickers: names, from: plan.run.from, to: plan.run.to, timeframe: plan.config.timeframe },
      { ...context, references: [] }).tickers;
    for (const name of names) {
      for (const key of [name, `${name}/${DAILY_TIMEFRAME}`]) {
        const want = expected[key];
        const have = local[key];
        if (!want && !have) continue;
        if (!have) {
          throw new BarwiseError('MARKET_MISMATCH', `missing ticker ${key}: the coordinator's market data has ${want![0]} bars of it from ${plan.run.from} to ${plan.run.to}, this worker's --db ${this.store.path} has none`,
            'Give every worker a copy of the same market database as the coordinator (docs/cluster.md).');
        }
        if (!want) {
          throw new BarwiseError('MARKET_MISMATCH', `ticker ${key}: this worker's --db ${this.store.path} has ${have[0]} bars of it from ${plan.run.from} to ${plan.run.to}, the coordinator's market data has none`,
            'Give every worker a copy of the same market database as the coordinator (docs/cluster.md).');
        }
        const i = want.findIndex((v, j) => v !== have[j]);
        if (i >= 0) {
          throw new BarwiseError('MARKET_MISMATCH', `ticker ${key} differs from the coordinator's market data in its ${FIGURES[i]}: coordinator ${want[i]}, this worker's --db ${this.store.path} ${have[i]}`,
            'Give every worker a copy of the same market database as the coordinator (docs/cluster.md).');
        }
      }
      done.add(name);
    }
  }

  /** Forgets a plan (its runner was closed). */
  forget(planId: string): void {
    this.checked.delete(planId);
  }
}
