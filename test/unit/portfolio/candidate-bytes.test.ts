/**
 * A ticker-day's candidates as the bytes a worker ships and run_days.candidates keeps: every record back as
 * the JSON of the record written (checked against JSON itself), for any number of candidates and any text a
 * vendor's ticker may hold; bytes it did not write are refused, not read as candidates. A day's lists under
 * several rules share one buffer, each list's bytes those it has alone.
 */
import { expect } from 'chai';
import { decodeDayCandidates, encodeCandidateLists, encodeDayCandidates } from '../../../src/portfolio/candidate-bytes.js';
import { recordsOf, simulatedDay } from '../../helpers/candidates.js';

const asJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('portfolio: a day\'s candidates as bytes', () => {
  const [long, short] = recordsOf(simulatedDay());

  it('reads back every record as its JSON, fields in order, whatever the texts and numbers', () => {
    const records = [
      { ...long, ticker: 'BRK.B', pattern_strength: Number.NaN, risk: -0, entry_price: 0.1 + 0.2 },
      { ...short, ticker: 'Ünïcødé "quoted" \\ tab\t', exit_reason: 'stop' as const, mfe_pct: Number.NEGATIVE_INFINITY, bars_held: 2 ** 40 + 1 },
    ];
    const back = decodeDayCandidates(encodeDayCandidates(records));
    expect(back).to.deep.equal(asJson(records));
    expect(back.map((c) => Object.keys(c))).to.deep.equal(records.map((c) => Object.keys(c)));
  });

  it('reads bytes at any offset of their buffer (SQLite\'s need not be aligned), as written', () => {
    const bytes = encodeDayCandidates([long, short]);
    for (const offset of [0, 1, 3, 8]) {
      const moved = new Uint8Array(bytes.length + offset);
      moved.set(bytes, offset);
      expect(decodeDayCandidates(moved.subarray(offset)), `offset ${offset}`).to.deep.equal(asJson([long, short]));
    }
  });

  it('holds no candidates, or many, as written', () => {
    expect(decodeDayCandidates(encodeDayCandidates([]))).to.deep.equal([]);
    const many = Array.from({ length: 1000 }, (_, k) => ({ ...long, seq: k, signal_ts: long.signal_ts + k }));
    expect(decodeDayCandidates(encodeDayCandidates(many))).to.deep.equal(asJson(many));
  });

  it('refuses bytes it did not write: another format, a count the bytes do not hold, texts cut or extended', () => {
    const bytes = encodeDayCandidates([long, short]);
    const changed = (edit: (b: Uint8Array) => Uint8Array) => () => decodeDayCandidates(edit(Uint8Array.from(bytes)));
    expect(changed((b) => { b[0] = 2; return b; })).to.throw(/format 2, where format 1 was written/);
    expect(changed((b) => b.subarray(0, 3))).to.throw(/3 bytes without the 8-byte header of format 1/);
    expect(() => decodeDayCandidates(new Uint8Array(0))).to.throw(/0 bytes without the 8-byte header/);
    expect(changed((b) => { b[4] = 3; return b; })).to.throw(/do not hold the 3 candidates/);
    expect(changed((b) => { b[2] = 1; return b; })).to.throw(/without the 8-byte header of format 1/);
    expect(changed((b) => b.subarray(0, b.length - 1))).to.throw(/do not hold the 2 candidates/);
    expect(changed((b) => Uint8Array.from([...b, 0x20, 0x5b]))).to.throw(/do not hold the 2 candidates/);
  });

  it('several lists in one buffer: each list\'s bytes are those it has alone, 8-aligned, and survive a structured clone', () => {
    const lists = [[long], [], [long, short], [{ ...short, ticker: 'Ünïcødé' }]];
    const encoded = encodeCandidateLists(lists);
    expect(new Set(encoded.map((b) => b.buffer)).size).to.equal(1);
    encoded.forEach((bytes, k) => {
      expect(bytes.byteOffset % 8, `list ${k}`).to.equal(0);
      expect(Buffer.from(bytes).equals(Buffer.from(encodeDayCandidates(lists[k]))), `list ${k}`).to.equal(true);
    });
    const cloned = structuredClone(encoded);
    expect(new Set(cloned.map((b) => b.buffer)).size).to.equal(1);
    expect(cloned.map((b) => decodeDayCandidates(b))).to.deep.equal(asJson(lists));
  });
});
