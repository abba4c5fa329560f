/**
 * The registry of output formats: each format has its own flag, a command writes exactly the formats whose
 * flag names a file, skips a format with nothing to write, and renders them one at a time (a file written
 * stays written when a later format fails).
 */
import { expect } from 'chai';
import { AUDIT_SINKS, renderOutputs, RUN_SINKS, type OutputSink } from '../../../src/report/output-sinks.js';
import type { RunResult } from '../../../src/engine/run-result.js';

/** A run without trade rules: signals and failures only. */
const untradedRun = { run: { id: 1 }, signals: [], failures: [] } as unknown as RunResult;

describe('report: the registry of output formats', () => {
  it('gives every format of a command its own flag', () => {
    for (const sinks of [RUN_SINKS, AUDIT_SINKS]) {
      const flags = Object.values(sinks).map((s) => s.flag);
      expect(new Set(flags).size).to.equal(flags.length);
    }
    expect(Object.fromEntries(Object.entries(RUN_SINKS).map(([k, s]) => [k, s.flag]))).to.deep.equal({ json: 'out', 'trades-csv': 'trades-csv', html: 'report' });
  });

  it('writes only the formats whose flag names a file, and none that has nothing to write', () => {
    const out = [...renderOutputs(RUN_SINKS, untradedRun, { out: 'r.json', 'trades-csv': 't.csv', report: undefined })];
    // No trades without trade rules: no CSV (and no report), the JSON still.
    expect(out.map((o) => o.file)).to.deep.equal(['r.json']);
    expect(JSON.parse(out[0].text)).to.deep.equal({ run: { id: 1 }, signals: [], failures: [], notices: [] });
    expect([...renderOutputs(RUN_SINKS, untradedRun, {})]).to.deep.equal([]);
  });

  it('renders one format at a time, so an earlier file is written before a later format fails', () => {
    const sinks: Record<'json' | 'html', OutputSink<string>> = {
      json: { flag: 'out', render: (r) => `json of ${r}` },
      html: { flag: 'report', render: () => { throw new Error('no chart library'); } },
    };
    const written: string[] = [];
    expect(() => {
      for (const { file, text } of renderOutputs(sinks, 'run 7', { out: 'a.json', report: 'a.html' })) written.push(`${file}: ${text}`);
    }).to.throw('no chart library');
    expect(written).to.deep.equal(['a.json: json of run 7']);
  });
});
