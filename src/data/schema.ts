/**
 * The `ohlcv_data` schema existing users' databases already have; barwise reads such databases as they are,
 * and creates the same for its own imports and for the day databases scanners see (with an index for reading
 * there: day-fill.ts).
 */
export const OHLCV_COLUMNS = [
  'ticker',
  'timestamp',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'timeframe',
  'time_of_day',
] as const;

export const OHLCV_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS ohlcv_data (
  ticker TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  open REAL NOT NULL,
  high REAL NOT NULL,
  low REAL NOT NULL,
  close REAL NOT NULL,
  volume INTEGER NOT NULL,
  timeframe TEXT NOT NULL DEFAULT '5min',
  time_of_day TEXT,
  UNIQUE (ticker, timestamp, timeframe)
)`;

export const DEFAULT_TIMEFRAME = '5min';

/**
 * Timeframe of daily bars in ohlcv_data: what `--daily-bars` reads and `barwise aggregate` writes, and the
 * label existing scripts query (`WHERE timeframe = '1day'`).
 */
export const DAILY_TIMEFRAME = '1day';

/** `time_of_day` of `1day` rows barwise writes: they are stamped at New York midnight of their date. */
export const DAILY_TIME_OF_DAY = '00:00:00';
