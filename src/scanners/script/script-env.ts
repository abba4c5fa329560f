/**
 * The legacy contract's environment for one step, and the persistent protocol's request for it. A script's
 * parameter values travel in both: BARWISE_PARAMS (JSON, sorted keys) and BARWISE_PARAM_<NAME> (the name
 * upper-cased, the value as text) in the environment, `params` in each request.
 */
import type { Bar } from '../../types.js';
import { formatParamsJson, type ScannerParams } from '../scanner-params.js';
import type { PersistentRequest } from './persistent-script.js';

export function scriptEnv(databasePath: string, ticker: string, date: string, bar: Bar, params: ScannerParams = {}): Record<string, string> {
  return {
    DATABASE_PATH: databasePath,
    SCAN_TICKERS: ticker,
    SCAN_START_DATE: date,
    SCAN_END_DATE: date,
    SCAN_DATE: date,
    SCAN_AS_OF: String(bar.timestamp),
    SCAN_TIME: bar.time_of_day,
    ...paramsEnv(params),
  };
}

/** BARWISE_PARAMS and one BARWISE_PARAM_<NAME> per parameter; nothing for a script without parameters. */
export function paramsEnv(params: ScannerParams): Record<string, string> {
  const names = Object.keys(params).sort();
  if (names.length === 0) return {};
  return { BARWISE_PARAMS: formatParamsJson(params), ...Object.fromEntries(names.map((n) => [`BARWISE_PARAM_${n.toUpperCase()}`, String(params[n])])) };
}

export function persistentRequest(databasePath: string, ticker: string, date: string, bar: Bar, params: ScannerParams = {}): PersistentRequest & { params?: ScannerParams } {
  return {
    databasePath, tickers: [ticker], startDate: date, endDate: date, date, asOf: bar.timestamp, time: bar.time_of_day,
    // Sorted keys, as in BARWISE_PARAMS; absent for a script without parameters, so its requests are unchanged.
    ...(Object.keys(params).length > 0 ? { params: JSON.parse(formatParamsJson(params)) as ScannerParams } : {}),
  };
}
