/**
 * A legacy script's stdout → its signals: the last JSON array printed. Scripts often log before their
 * JSON, and some pretty-print it over several lines, so every line that starts with `[` is a candidate
 * start, tried from the last one back.
 */
export type ParsedOutput = { ok: true; signals: unknown[] } | { ok: false; reason: string };

/** NaN and Infinity as Python's json.dumps writes them for float('nan') and float('inf'); not JSON. */
const NON_JSON_NUMBER = /(?<![\w".])(-?Infinity|NaN)(?![\w"])/g;

export function parseScriptOutput(stdout: string): ParsedOutput {
  const text = stdout.trim();
  if (text === '') return { ok: true, signals: [] };
  const found = findLastArray(text);
  if (found) return { ok: true, signals: found };
  // An array that parses once NaN/Infinity are null is the script's output: name what JSON refused.
  const token = /(-?Infinity|NaN)/.exec(text.match(NON_JSON_NUMBER)?.[0] ?? '')?.[1];
  if (token && findLastArray(text.replace(NON_JSON_NUMBER, 'null'))) {
    return { ok: false, reason: `the JSON array on stdout holds ${token}, which JSON does not allow (Python's json.dumps writes it for float('nan') or float('inf')): write null instead; json.dumps(..., allow_nan=False) finds them` };
  }
  const last = text.split('\n').slice(-3).join(' | ');
  return { ok: false, reason: `no JSON array on stdout (last output: ${last.length > 300 ? `${last.slice(0, 300)}…` : last})` };
}

function findLastArray(text: string): unknown[] | null {
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[' && (i === 0 || text[i - 1] === '\n')) starts.push(i);
  }
  for (let k = starts.length - 1; k >= 0; k--) {
    // The array may be followed by more log lines: try the candidate up to each later line end.
    const from = starts[k];
    let end = text.length;
    for (;;) {
      const candidate = text.slice(from, end).trim();
      if (candidate.endsWith(']')) {
        try {
          const value = JSON.parse(candidate);
          if (Array.isArray(value)) return value;
        } catch {
          // not this span
        }
      }
      const prevLineEnd = text.lastIndexOf('\n', end - 1);
      if (prevLineEnd <= from) break;
      end = prevLineEnd;
    }
  }
  return null;
}

/**
 * Signals a script reported for tickers other than the task's are dropped: old scripts scan every ticker.
 * Compared without case, as tickers are matched: a database may spell the task's ticker `aaa`.
 */
export function keepTaskTicker(signals: unknown[], ticker: string): unknown[] {
  const upper = ticker.toUpperCase();
  return signals.filter((s) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return true; // left for validation to reject
    const t = (s as { ticker?: unknown }).ticker;
    return t === undefined || t === null || String(t).toUpperCase() === upper;
  });
}
