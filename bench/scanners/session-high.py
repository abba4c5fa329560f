# A small run-once Python scanner, as legacy scripts are: opens DATABASE_PATH with sqlite3, one aggregate
# query (session high and VWAP so far), prints a JSON array, exits. The warm-Python bench runs it per step.
import json, os, sqlite3
db = sqlite3.connect(os.environ["DATABASE_PATH"])
ticker = os.environ["SCAN_TICKERS"]
high, vwap, close = db.execute(
    "SELECT MAX(high), SUM(close * volume) / SUM(volume),"
    " (SELECT close FROM ohlcv_data WHERE ticker = ?1 ORDER BY timestamp DESC LIMIT 1)"
    " FROM ohlcv_data WHERE ticker = ?1", (ticker,)).fetchone()
out = []
if close > vwap and close >= 0.998 * high:
    out.append({"ticker": ticker, "direction": "LONG", "metrics": {"high": high, "vwap": round(vwap, 4)}})
print(json.dumps(out))
