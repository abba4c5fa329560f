/**
 * Listing the candidates a 16-combination sweep keeps for its portfolio passes (KeptCandidates.list, then a
 * read of each, as the pass sorts and reads them): 16 runs × 512 tickers × 10 days of one candidate each,
 * 81,920 in all, three rounds, CPU time of the process (each day's candidates decoded as they are listed). Run it on two commits back to back to compare.
 *
 *   node --import tsx bench/measure-kept-candidates.ts
 */
import { KeptCandidates } from '../src/portfolio/kept-candidates.js';
import { FIVE_BARS, recordsOf, simulatedDay } from '../test/helpers/candidates.js';
import { encodeDayCandidates } from '../src/portfolio/candidate-bytes.js';
import { signalAt } from '../test/helpers/trade-bars.js';

const base = simulatedDay(FIVE_BARS, [signalAt(FIVE_BARS, 0, 'LONG')], 'A');
const baseRecords = recordsOf(base);
const runs: KeptCandidates[] = [];
for (let k = 0; k < 16; k++) {
  const kept = new KeptCandidates();
  for (let t = 0; t < 512; t++) {
    const ticker = `T${String(t).padStart(4, '0')}`;
    kept.keep(ticker, Array.from({ length: 10 }, (_, d) => {
      const date = `2025-11-${d + 10}`;
      return { ...base, date, candidates: encodeDayCandidates(baseRecords.map((c) => ({ ...c, ticker, date, signal_ts: c.signal_ts + d * 86_400_000 + t }))) };
    }));
  }
  runs.push(kept);
}
for (let round = 0; round < 3; round++) {
  const start = process.cpuUsage();
  let listed = 0;
  for (const kept of runs) for (const c of kept.list()) listed += c.entry_ts > 0 ? 1 : 0;
  const used = process.cpuUsage(start);
  console.log(`list ×16: ${listed} candidates, ${((used.user + used.system) / 1e3).toFixed(0)} ms CPU`);
}
