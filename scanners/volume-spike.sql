-- name: volume-spike
-- description: A bar trading at least 3x the average volume of the day's earlier bars while moving at
-- description: least 0.3% from its open: someone big just showed up. Direction follows the bar's body.
-- warmup: 12
WITH day AS (
  SELECT * FROM ohlcv_data WHERE ticker = :ticker AND timestamp >= :day_start
),
now AS (SELECT * FROM day WHERE timestamp = :as_of),
earlier AS (SELECT AVG(volume) AS avg_volume FROM day WHERE timestamp < :as_of)
SELECT
  CASE WHEN now.close >= now.open THEN 'LONG' ELSE 'SHORT' END AS direction,
  ROUND(now.volume / earlier.avg_volume, 2) AS pattern_strength,
  now.volume,
  ROUND(earlier.avg_volume) AS avg_volume,
  ROUND(100.0 * (now.close - now.open) / now.open, 3) AS move_pct
FROM now, earlier
WHERE earlier.avg_volume > 0
  AND now.volume >= 3 * earlier.avg_volume
  AND ABS(now.close - now.open) / now.open >= 0.003
