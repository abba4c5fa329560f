/**
 * The flags the stand-alone measurements share: `--NAME VALUE` read from argv, the market database (`--db`, the
 * universe by default, generated on first use) and its tickers (`--tickers N`: the first N).
 */
import { openMarketStore } from '../../src/data/market-store.js';
import { ensureMarket, WORKLOADS } from './generate-market.js';

export const readArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};

export function readUniverseArgs(): { db: string; tickers: string[] } {
  const db = readArg('db') ?? ensureMarket(WORKLOADS.universe);
  const store = openMarketStore(db);
  const all = store.listTickers('5min');
  store.close();
  return { db, tickers: readArg('tickers') ? all.slice(0, Number(readArg('tickers'))) : all };
}
