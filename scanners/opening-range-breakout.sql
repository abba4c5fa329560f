-- name: opening-range-breakout
-- description: The first or_bars 5-minute bars of the session (6: the 09:30-09:55 bars) set the opening
-- description: range. After it, a bar that closes above its high (LONG) or below its low (SHORT) on vol_mult
-- description: times the day's average volume so far is a breakout. Strength: distance beyond the range,
-- description: in range widths.
-- warmup: 6
-- param: or_bars = 6
-- param: vol_mult = 1.5
-- The range ends or_bars × 5 minutes after 09:30 (10:00:00 for 6): bounded by time, not by counting rows,
-- so a day missing an early bar still has its range end at the same time. Written inline twice rather than
-- as a CTE joined in: SQLite computes the inline form once per execution, the joined one cost ~2x a step.
WITH day AS (
  SELECT * FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start
),
opening AS (
  SELECT MAX(high) AS range_high, MIN(low) AS range_low FROM day
  WHERE time_of_day < strftime('%H:%M:%S', '09:30:00', '+' || (:or_bars * 5) || ' minutes')
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
WHERE now.time_of_day >= strftime('%H:%M:%S', '09:30:00', '+' || (:or_bars * 5) || ' minutes')
  AND opening.range_high > opening.range_low
  AND (now.close > opening.range_high OR now.close < opening.range_low)
  AND now.volume > :vol_mult * earlier.avg_volume
