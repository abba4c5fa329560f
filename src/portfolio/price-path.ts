/**
 * A ticker-day's price path: what the portfolio pass marks open positions with, stored ONCE per ticker-day and
 * shared by all of its candidates (each holds a range of bar indices: candidate-marks.ts). Per bar, only what
 * the pass reads: the bar's end (epoch ms), its close (the mark), and its high and low (the running MAE and
 * MFE of a position closed on ruin derive from them). Only the span its candidates hold in full is kept.
 *
 * Encoded as a compact BLOB, exact both ways (a decoded value is the same double, bit for bit):
 *  - `TICKS`: when every price is an integer number of 10^-d (d ≤ MAX_DECIMALS, the smallest that round-trips
 *    every value; cents for most quotes) and every end an integer ms: bar ends as runs of equal steps (a
 *    regular session is one run), closes as deltas from the previous close, high and low as distances from the
 *    close, each a zigzag varint. Five-minute cent quotes take 3–4 bytes a bar, against 32 per bar per
 *    candidate as float64 marks.
 *  - `RAW`: otherwise (prices off any decimal grid, non-finite values), every number as little-endian float64.
 * Layout: format byte, varint first bar index in the day, varint bar count, then the format's body.
 */

export interface PricePath {
  /** Index in the ticker-day's bars of the path's first bar. */
  from: number;
  /** Per bar of the path, in bar order: its end (start + bar length, epoch ms), close, high and low. */
  end: Float64Array;
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
}

const RAW = 0;
const TICKS = 1;
const MAX_DECIMALS = 8;
/** Beyond these, deltas (of deltas) and their zigzag could leave the exact integers of a double (2^53). */
const MAX_TICKS = 2 ** 50;
const MAX_END = 2 ** 48;

/** The bars [from, to) of a day as a path: ends are each bar's timestamp + barMs. */
export function slicePricePath(
  bars: readonly { timestamp: number; close: number; high: number; low: number }[],
  from: number,
  to: number,
  barMs: number,
): PricePath {
  const n = to - from;
  const p = allocatePath(from, n);
  for (let i = 0; i < n; i++) {
    const b = bars[from + i];
    p.end[i] = b.timestamp + barMs;
    p.close[i] = b.close;
    p.high[i] = b.high;
    p.low[i] = b.low;
  }
  return p;
}

export function encodePricePath(p: PricePath): Uint8Array {
  const n = p.end.length;
  const decimals = findDecimals(p.close, p.high, p.low);
  const ticksOk = decimals !== null && endsAreTicks(p.end);
  const w = new ByteWriter(ticksOk ? 16 + n * 16 : 16 + n * 32);
  w.byte(ticksOk ? TICKS : RAW);
  w.varint(p.from);
  w.varint(n);
  if (!ticksOk) {
    for (let i = 0; i < n; i++) {
      w.float64(p.end[i]);
      w.float64(p.close[i]);
      w.float64(p.high[i]);
      w.float64(p.low[i]);
    }
    return w.bytes();
  }
  const scale = 10 ** decimals!;
  w.byte(decimals!);
  // The runs of equal steps between bar ends: counted first (their count leads), then written.
  const end = p.end;
  let runs = 0;
  for (let i = 1; i < n; i++) if (i === 1 || end[i] - end[i - 1] !== end[i - 1] - end[i - 2]) runs++;
  if (n > 0) w.zigzag(end[0]);
  w.varint(runs);
  for (let i = 1; i < n; ) {
    const step = end[i] - end[i - 1];
    let count = 1;
    while (i + count < n && end[i + count] - end[i + count - 1] === step) count++;
    w.zigzag(step);
    w.varint(count);
    i += count;
  }
  let prevClose = 0;
  for (let i = 0; i < n; i++) {
    const close = Math.round(p.close[i] * scale);
    w.zigzag(close - prevClose);
    w.zigzag(Math.round(p.high[i] * scale) - close);
    w.zigzag(close - Math.round(p.low[i] * scale));
    prevClose = close;
  }
  return w.bytes();
}

export function decodePricePath(bytes: Uint8Array): PricePath {
  const r = new ByteReader(bytes);
  const format = r.byte();
  const from = r.varint();
  const n = r.varint();
  const p = allocatePath(from, n);
  if (format === RAW) {
    for (let i = 0; i < n; i++) {
      p.end[i] = r.float64();
      p.close[i] = r.float64();
      p.high[i] = r.float64();
      p.low[i] = r.float64();
    }
  } else if (format === TICKS) {
    const scale = 10 ** r.byte();
    if (n > 0) p.end[0] = r.zigzag();
    let ends = 1;
    for (let runs = r.varint(); runs > 0; runs--) {
      const step = r.zigzag();
      for (let count = r.varint(); count > 0; count--, ends++) {
        if (ends >= n) throw new Error('price path with more bar ends than bars');
        p.end[ends] = p.end[ends - 1] + step;
      }
    }
    if (ends < n && n > 0) throw new Error('price path with fewer bar ends than bars');
    let close = 0;
    for (let i = 0; i < n; i++) {
      close += r.zigzag();
      const high = close + r.zigzag();
      const low = close - r.zigzag();
      // Division, as the encoder checked: k / 10^d is the double the price was.
      p.close[i] = close / scale;
      p.high[i] = high / scale;
      p.low[i] = low / scale;
    }
  } else {
    throw new Error(`price path of unknown format ${format}`);
  }
  if (!r.done()) throw new Error('price path with bytes after its last bar');
  return p;
}

/**
 * One buffer, four views: a typed array of more than a few dozen bytes is a separate allocation, and four per
 * path made allocating most of the time decoding took (bench/measure-marks.ts's paths, 1.5× slower).
 */
function allocatePath(from: number, n: number): PricePath {
  const all = new Float64Array(4 * n);
  return { from, end: all.subarray(0, n), close: all.subarray(n, 2 * n), high: all.subarray(2 * n, 3 * n), low: all.subarray(3 * n) };
}

/**
 * The fewest decimals d such that every value is exactly k / 10^d for an integer k; null when none is. Plain
 * loops: a path is encoded per ticker-day that trades, in the worker, and closures per value were a third of
 * the encoding's time there.
 */
function findDecimals(close: Float64Array, high: Float64Array, low: Float64Array): number | null {
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scale = 10 ** d;
    if (onGrid(close, scale) && onGrid(high, scale) && onGrid(low, scale)) return d;
  }
  return null;
}

/** Every value is k / scale for an integer k of at most MAX_TICKS. */
function onGrid(xs: Float64Array, scale: number): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const k = Math.round(x * scale);
    // NaN fails the first test; -0 would come back as 0: it stays raw.
    if (!(Math.abs(k) <= MAX_TICKS) || k / scale !== x || (x === 0 && 1 / x < 0)) return false;
  }
  return true;
}

/** Every bar end an integer ms within MAX_END. */
function endsAreTicks(end: Float64Array): boolean {
  for (let i = 0; i < end.length; i++) if (!Number.isInteger(end[i]) || Math.abs(end[i]) > MAX_END) return false;
  return true;
}

/** Varints in arithmetic, not bit operations: bar ends in ms pass 2^32. */
class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private n = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.n++] = b;
  }

  varint(x: number): void {
    this.reserve(8);
    while (x >= 128) {
      this.buf[this.n++] = (x % 128) + 128;
      x = Math.floor(x / 128);
    }
    this.buf[this.n++] = x;
  }

  zigzag(x: number): void {
    this.varint(x >= 0 ? 2 * x : -2 * x - 1);
  }

  float64(x: number): void {
    this.reserve(8);
    this.view.setFloat64(this.n, x, true);
    this.n += 8;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

class ByteReader {
  /** Made on the first float64 read: only RAW paths have any, and a DataView per path cost as much as decoding it. */
  private view: DataView | null = null;
  private i = 0;

  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    if (this.i >= this.buf.length) throw new Error('price path cut short');
    return this.buf[this.i++];
  }

  varint(): number {
    // Most values of a path fit one or two bytes: read those without the general loop (a byte past the end
    // reads undefined and takes the checked way).
    const buf = this.buf;
    const b = buf[this.i];
    if (b < 128) {
      this.i++;
      return b;
    }
    const b2 = buf[this.i + 1];
    if (b2 < 128) {
      this.i += 2;
      return (b & 127) + b2 * 128;
    }
    let x = 0;
    for (let mul = 1; ; mul *= 128) {
      const c = this.byte();
      x += (c % 128) * mul;
      if (c < 128) return x;
    }
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  float64(): number {
    if (this.i + 8 > this.buf.length) throw new Error('price path cut short');
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const x = this.view.getFloat64(this.i, true);
    this.i += 8;
    return x;
  }

  done(): boolean {
    return this.i === this.buf.length;
  }
}
