import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadBatchConfig, parseBatchConfig } from '../../../src/batch/batch-config.js';
import { findClosestWord, measureEditDistance } from '../../../src/text/closest-word.js';
import { BarwiseError } from '../../../src/errors.js';
import { useTempDir } from '../../helpers/temp.js';

const parse = (raw: unknown) => parseBatchConfig(raw, '/cfg/nightly.yaml');
const thrown = (fn: () => unknown): BarwiseError => {
  try {
    fn();
  } catch (err) {
    return err as BarwiseError;
  }
  throw new Error('expected an error');
};

describe('batch config', () => {
  const tmp = useTempDir();

  it('reads YAML with relative ranges, ticker lists and options, naming jobs after their scanner by default', () => {
    const file = path.join(tmp(), 'b.yaml');
    fs.writeFileSync(file, [
      'concurrency: 2',
      'defaults: { signals: all }',
      'jobs:',
      '  - scanner: scanners/orb.sql',
      '    universe: [AAPL, MSFT]',
      '    range: last 10 trading days',
      '    options: { threads: 2, warmup: 6 }',
      '  - name: all-of-it',
      '    scanner: x.ts',
      '    range: { from: 2025-11-03, to: 2025-11-28 }',
    ].join('\n'));
    const c = loadBatchConfig(file);
    expect(c.name).to.equal('b');
    expect(c.concurrency).to.equal(2);
    expect(c.defaults).to.deep.equal({ signals: 'all' });
    expect(c.jobs).to.deep.equal([
      { ok: true, job: { name: 'orb-1', scanner: 'scanners/orb.sql', universe: ['AAPL', 'MSFT'], range: 'last 10 trading days', options: { threads: 2, warmup: 6 }, index: 0 } },
      // YAML dates stay strings: yaml parses YAML 1.2, which has no timestamp type
      { ok: true, job: { name: 'all-of-it', scanner: 'x.ts', universe: 'all', range: { from: '2025-11-03', to: '2025-11-28' }, options: {}, index: 1 } },
    ]);
  });

  it('rejects an unknown top-level key, naming it and the closest valid one', () => {
    const err = thrown(() => parse({ concurency: 2, jobs: [{ scanner: 'a.sql' }] }));
    expect(err.code).to.equal('BATCH_CONFIG');
    expect(err.message).to.equal('nightly.yaml: unknown key "concurency"; did you mean "concurrency"?');
  });

  it('lists the valid keys when nothing is close', () => {
    const err = thrown(() => parse({ jobs: [{ scanner: 'a.sql' }], defaults: { zebra: 1 } }));
    expect(err.message).to.match(/defaults: unknown key "zebra"; valid keys: threads, warmup, signals/);
  });

  it('fails a broken job alone, with a message naming the job, the key and the closest valid one', () => {
    const c = parse({ jobs: [
      { name: 'good', scanner: 'a.sql' },
      { name: 'typo', scanner: 'b.sql', options: { tread: 2 } },
      { scaner: 'c.sql' },
      { name: 'bad-range', scanner: 'd.sql', range: 'the last week' },
    ] });
    expect(c.jobs.map((j) => j.ok)).to.deep.equal([true, false, false, false]);
    expect(c.jobs[1]).to.deep.equal({ ok: false, name: 'typo', error: 'job typo: jobs[1].options: unknown key "tread"; did you mean "threads"?' });
    expect(c.jobs[2]).to.deep.include({ ok: false, name: 'job-3' });
    expect((c.jobs[2] as { error: string }).error).to.equal('job job-3: jobs[2]: unknown key "scaner"; did you mean "scanner"?; jobs[2].scanner: required');
    expect((c.jobs[3] as { error: string }).error).to.match(/range: .*last N trading days/);
  });

  it('checks option values by the option table, naming the option where the batch file has it', () => {
    const c = parse({ jobs: [
      { name: 'zero', scanner: 'a.sql', options: { threads: 0 } },
      { name: 'stop', scanner: 'a.sql', options: { trade: { stopPct: 150, entry: 'market' } } },
    ] });
    expect((c.jobs[0] as { error: string }).error).to.equal('job zero: jobs[0].options.threads: must be a whole number from 1 to 256, got 0');
    expect((c.jobs[1] as { error: string }).error).to.equal(
      'job stop: jobs[1].options.trade.entry: must be one of next-open, signal-close, got "market"; jobs[1].options.trade.stopPct: must be a number above 0 and below 100, got 150');
  });

  it('refuses two jobs with one name (the second one fails)', () => {
    const c = parse({ jobs: [{ name: 'x', scanner: 'a.sql' }, { name: 'x', scanner: 'b.sql' }] });
    expect(c.jobs[0].ok).to.equal(true);
    expect(c.jobs[1]).to.deep.include({ ok: false });
  });

  it('says which file is not valid YAML or JSON, and when it is missing', () => {
    const file = path.join(tmp(), 'bad.json');
    fs.writeFileSync(file, '{ "jobs": [ }');
    expect(thrown(() => loadBatchConfig(file)).message).to.match(/bad\.json is not valid JSON/);
    expect(thrown(() => loadBatchConfig(path.join(tmp(), 'nope.yaml'))).message).to.match(/batch config not found/);
  });

  it('suggests only plausible typos', () => {
    expect(measureEditDistance('kitten', 'sitting')).to.equal(3);
    expect(findClosestWord('tread', ['threads', 'warmup'])).to.equal('threads');
    expect(findClosestWord('sesion', ['session', 'signals'])).to.equal('session');
    expect(findClosestWord('xyz', ['threads', 'warmup'])).to.equal(null);
  });
});
