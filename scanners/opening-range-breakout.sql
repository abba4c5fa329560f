-- name: opening-range-breakout
-- description: The first 30 minutes (09:30-09:55 bars) set the opening range. From 10:00 on, a bar that
-- description: closes above its high (LONG) or below its low (SHORT) on 1.5x the day's average volume
-- description: so far is a breakout. Strength: distance beyond the range, in range widths.
-- warmup: 6
WITH day AS (
  SELECT * FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start
),
opening AS (
  SELECT MAX(high) AS range_high, MIN(low) AS range_low FROM day WHERE time_of_day < '10:00:00'
),
now AS (
  SELECT * FROM day WHERE timestamp = :as_of
),
earlier AS (
  SELECT AVG(volume) AS avg_volume FROM day WHERE timestamp < :as_of
)
SELECT
  CASE WHEN now.close > opening.range_high THEN 'LONG' ELSE 'SHORT' END AS direction,
  ROUND(
    CASE WHEN now.close > opening.range_high THEN now.close - opening.range_high ELSE opening.range_low - now.close END
    / (opening.range_high - opening.range_low), 4) AS pattern_strength,
  opening.range_high,
  opening.range_low,
  now.close,
  ROUND(now.volume / earlier.avg_volume, 2) AS volume_ratio
FROM now, opening, earlier
WHERE now.time_of_day >= '10:00:00'
  AND opening.range_high > opening.range_low
  AND (now.close > opening.range_high OR now.close < opening.range_low)
  AND now.volume > 1.5 * earlier.avg_volume
