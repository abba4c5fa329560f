/**
 * The legacy contract's environment for one step, and the persistent protocol's request for it.
 */
import type { Bar } from '../../types.js';
import type { PersistentRequest } from './persistent-script.js';

export function scriptEnv(databasePath: string, ticker: string, date: string, bar: Bar): Record<string, string> {
  return {
    DATABASE_PATH: databasePath,
    SCAN_TICKERS: ticker,
    SCAN_START_DATE: date,
    SCAN_END_DATE: date,
    SCAN_DATE: date,
    SCAN_AS_OF: String(bar.timestamp),
    SCAN_TIME: bar.time_of_day,
  };
}

export function persistentRequest(databasePath: string, ticker: string, date: string, bar: Bar): PersistentRequest {
  return { databasePath, tickers: [ticker], startDate: date, endDate: date, date, asOf: bar.timestamp, time: bar.time_of_day };
}
