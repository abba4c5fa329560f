"""The vectorised numpy/pandas peer: the opening-range breakout scan and the bench's trades, whole columns at
a time, as a pandas user would write them, on the same SQLite market store barwise reads.

    /usr/bin/python3 bench/peers/pandas-peer.py DB SCANNER.sql OUT.json --stop-pct P --target-pct P

It does the work of `barwise backtest --scanner SCANNER.sql --trade --stop-pct P --target-pct P` (signals in
`first` mode, entry at the next bar's open, stop before target within a bar, exit at the close of the day's
last bar) and writes its signals and trades as JSON, so the bench can check they equal barwise's. The scan
is the SQL scanner's logic re-stated on columns; its header gives warmup, or_bars and vol_mult.

A day is the UTC date of the bar start: the New York date for regular-session bars (see
bench/floors/read-ticker-days.ts).
"""
import json
import re
import resource
import sqlite3
import sys
import time

import numpy as np
import pandas as pd


def header(sql_path):
    text = open(sql_path, encoding="utf-8").read()
    warmup = int(re.search(r"^--\s*warmup:\s*(\d+)", text, re.M).group(1))
    params = {m.group(1): float(m.group(2)) for m in re.finditer(r"^--\s*param:\s*(\w+)\s*=\s*(\S+)", text, re.M)}
    return warmup, int(params["or_bars"]), params["vol_mult"]


def load(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    df = pd.read_sql_query(
        "SELECT ticker, timestamp, open, high, low, close, volume, time_of_day FROM ohlcv_data "
        "WHERE timeframe = '5min' ORDER BY ticker, timestamp", con)
    con.close()
    df["day"] = df["timestamp"] // 86_400_000
    return df


def scan(df, warmup, or_bars, vol_mult):
    """Signals, first per ticker-day: the rows of df where the breakout condition first holds."""
    g = df.groupby(["ticker", "day"], sort=False)
    idx = g.cumcount().to_numpy()
    range_end = f"{9 + (30 + or_bars * 5) // 60:02d}:{(30 + or_bars * 5) % 60:02d}:00"
    in_range = (df["time_of_day"] < range_end).to_numpy()
    # The range is complete once a bar is at or after its end; earlier bars are never signal bars.
    hi = df["high"].where(in_range)
    lo = df["low"].where(in_range)
    range_high = hi.groupby([df["ticker"], df["day"]], sort=False).transform("max").to_numpy()
    range_low = lo.groupby([df["ticker"], df["day"]], sort=False).transform("min").to_numpy()
    vol = df["volume"].to_numpy()
    vol_before = g["volume"].cumsum().to_numpy() - vol
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_before = vol_before / idx
        close = df["close"].to_numpy()
        day_len = g["volume"].transform("size").to_numpy()
        fires = ((idx >= warmup) & (day_len >= warmup) & ~in_range & (range_high > range_low)
                 & ((close > range_high) | (close < range_low)) & (vol > vol_mult * avg_before))
        long_ = close > range_high
        strength = np.where(long_, close - range_high, range_low - close) / (range_high - range_low)
    hits = df.loc[fires, ["ticker", "day", "timestamp"]].assign(
        row=np.flatnonzero(fires), direction=np.where(long_[fires], "LONG", "SHORT"), pattern_strength=np.round(strength[fires], 4))
    return hits.drop_duplicates(["ticker", "day"], keep="first")


def trade(df, sig, stop_pct, target_pct, bar_ms=300_000):
    """One trade per signal not on its day's last bar: the bars after the signal walked by the exit rules."""
    day_end = df.groupby(["ticker", "day"], sort=False)["timestamp"].transform("size").to_numpy() - 1
    start = df.groupby(["ticker", "day"], sort=False).cumcount().to_numpy()
    sig = sig[start[sig["row"].to_numpy()] < day_end[sig["row"].to_numpy()]].copy()
    first = sig["row"].to_numpy() + 1
    last = first + (day_end[first] - start[first])
    lengths = last - first + 1
    # Every bar from the entry bar to the day's last, per trade, as one long column (trade id, bar row).
    tid = np.repeat(np.arange(len(sig)), lengths)
    row = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(first, lengths)
    sign = np.where(sig["direction"].to_numpy() == "LONG", 1.0, -1.0)
    o, h, l, c, ts = (df[k].to_numpy() for k in ("open", "high", "low", "close", "timestamp"))
    entry = o[first]
    stop = entry - sign * (entry * stop_pct / 100)
    target = entry * (1 + (sign * target_pct) / 100)
    s, st, tg = sign[tid], stop[tid], target[tid]
    adverse = np.where(s > 0, l[row], h[row])
    favourable = np.where(s > 0, h[row], l[row])
    open_stop = s * (o[row] - st) <= 0
    open_target = s * (o[row] - tg) >= 0
    in_stop = s * (adverse - st) <= 0
    in_target = s * (favourable - tg) >= 0
    is_last = row == np.repeat(last, lengths)
    # Order within a bar: its open (stop, then target), then within it (stop first: the conservative rule), close.
    reason = np.select([open_stop, open_target, in_stop, in_target, is_last], [0, 1, 2, 3, 4], -1)
    price = np.select([open_stop | open_target, in_stop, in_target], [o[row], st, tg], c[row])
    exit_ts = np.where(open_stop | open_target, ts[row], ts[row] + bar_ms)
    hit = reason >= 0
    at = pd.Series(np.flatnonzero(hit)).groupby(tid[hit]).first().to_numpy()
    names = np.array(["stop", "target", "stop", "target", "eod"])
    return pd.DataFrame({
        "ticker": sig["ticker"].to_numpy(), "signal_ts": sig["timestamp"].to_numpy(), "direction": sig["direction"].to_numpy(),
        "entry_ts": ts[first], "entry_price": entry, "exit_ts": exit_ts[at], "exit_price": price[at], "exit_reason": names[reason[at]],
    })


def main():
    db, sql, out = sys.argv[1:4]
    opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    t0 = time.perf_counter()
    warmup, or_bars, vol_mult = header(sql)
    df = load(db)
    sig = scan(df, warmup, or_bars, vol_mult)
    trades = trade(df, sig, float(opts["--stop-pct"]), float(opts["--target-pct"]))
    loop_ms = round((time.perf_counter() - t0) * 1000)
    result = {
        "peer": "pandas", "pandas": pd.__version__, "numpy": np.__version__, "loop_ms": loop_ms, "bars": len(df),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "signals": [{"ticker": t, "timestamp": int(ts), "direction": d, "pattern_strength": float(p)}
                    for t, ts, d, p in sig[["ticker", "timestamp", "direction", "pattern_strength"]].itertuples(index=False)],
        "trades": json.loads(trades.to_json(orient="records")),
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
