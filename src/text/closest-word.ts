/**
 * "Did you mean …?" for misspelt keys: the closest candidate by edit distance, if it is close enough to be
 * a plausible typo (one edit for words of up to 3 letters, else two or a third of the letters, whichever is more).
 */
export function findClosestWord(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = measureEditDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = word.length <= 3 ? 1 : Math.max(2, Math.ceil(word.length / 3));
  return best !== null && bestDistance <= allowed ? best : null;
}

/** Levenshtein distance (insert, delete, substitute, each 1). */
export function measureEditDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
