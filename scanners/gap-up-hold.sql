-- name: gap-up-hold
-- description: The day opened at least 1% above the previous trading day's last close (a gap up), and
-- description: from 10:00 on a bar closes above the day's first bar's high: the gap holds and extends
-- description: (LONG). Strength: the gap, in percent. The previous day is in the day database because of
-- description: lookback-days; rows before :day_start are the past, rows from it on are today so far.
-- warmup: 6
-- lookback-days: 1
WITH prev AS (
  SELECT close AS prev_close FROM ohlcv_data
  WHERE ticker = :ticker AND timestamp < :day_start ORDER BY timestamp DESC LIMIT 1
),
first AS (
  SELECT open, high FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start ORDER BY timestamp LIMIT 1
),
now AS (
  SELECT close, time_of_day FROM ohlcv_data WHERE ticker = :ticker AND timestamp = :as_of
)
SELECT
  'LONG' AS direction,
  ROUND(100.0 * (first.open / prev.prev_close - 1), 3) AS pattern_strength,
  prev.prev_close,
  first.open AS day_open,
  first.high AS first_bar_high,
  now.close
FROM prev, first, now
WHERE now.time_of_day >= '10:00:00'
  AND first.open >= 1.01 * prev.prev_close
  AND now.close > first.high
