#!/usr/bin/env python3
# barwise: persistent
"""A persistent legacy scanner in Python: the same rule as persistent-momentum.ts.

Started once per worker with PERSISTENT_MODE=true, it prints READY, then answers one JSON request per line
({"databasePath", "tickers", "requestId", ...}) with {"success": true, "data": [...], "requestId": ...}
followed by READY. Without PERSISTENT_MODE it reads DATABASE_PATH and SCAN_TICKERS and prints a JSON array,
so it also runs per step and in --mode naive. Logs go to stderr.

Finds: three rising closes in a row ending on the day's highest close so far, on volume above the day's
average (LONG momentum).
"""
import json
import os
import sqlite3
import sys


def scan(database_path, tickers):
    db = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        out = []
        for ticker in tickers:
            bars = db.execute(
                "SELECT close, volume FROM ohlcv_data WHERE ticker = ? ORDER BY timestamp", (ticker,)
            ).fetchall()
            n = len(bars)
            if n < 4:
                continue
            a, b, c, d = bars[-4:]
            avg_volume = sum(v for _, v in bars) / n
            highest = max(cl for cl, _ in bars)
            if b[0] > a[0] and c[0] > b[0] and d[0] > c[0] and d[0] == highest and d[1] > avg_volume:
                out.append({
                    "ticker": ticker,
                    "direction": "LONG",
                    "pattern_strength": round((d[0] / a[0] - 1) * 100, 4),
                    "metrics": {"volume_ratio": round(d[1] / avg_volume, 2)},
                })
        return out
    finally:
        db.close()


def main():
    if os.environ.get("PERSISTENT_MODE") == "true":
        print("READY", flush=True)
        for line in sys.stdin:
            request_id = None
            try:
                req = json.loads(line)
                request_id = req.get("requestId")
                reply = {"success": True, "data": scan(req["databasePath"], req["tickers"]), "requestId": request_id}
            except Exception as err:  # reported to barwise, which fails the ticker-day with this message
                reply = {"success": False, "error": repr(err), "data": [], "requestId": request_id}
            print(json.dumps(reply), flush=True)
            print("READY", flush=True)
    else:
        tickers = [t for t in os.environ.get("SCAN_TICKERS", "").split(",") if t]
        print(json.dumps(scan(os.environ["DATABASE_PATH"], tickers)))


if __name__ == "__main__":
    main()
