import { expect } from 'chai';
import { checkSignature, signShardJob, type ShardJob } from '../../../src/cluster/shard-job.js';

const job: Omit<ShardJob, 'signature'> = {
  plan: {
    config: { warmup: 1, signals: 'first', session: 'regular', timeframe: '5min', mode: 'realtime', stepTimeoutMs: 1000, persistent: false },
    scanner: { kind: 'sql', fileName: 's.sql', sha256: 'ab', entry: 's.sql', files: [{ path: 's.sql', base64: Buffer.from('SELECT 1').toString('base64') }] },
    run: { from: '2025-11-03', to: '2025-11-05' },
    marketSha256: 'cd',
  },
  tasks: [{ key: 'AAA|2025-11-03|2025-11-05', ticker: 'AAA', fromDate: '2025-11-03', toDate: '2025-11-05' }],
  market: { AAA: [36, 1, 2, 'ef'] },
};

describe('cluster: shard signatures', () => {
  it('accepts a shard signed with the same secret, after a trip through JSON', () => {
    const signed = JSON.parse(JSON.stringify(signShardJob(job, 'secret')));
    expect(checkSignature(signed, 'secret')).to.equal(null);
  });

  it('refuses another secret, an altered scanner, an altered task and no signature', () => {
    const signed = signShardJob(job, 'secret');
    expect(checkSignature(signed, 'other')).to.match(/does not match this worker's secret/);
    const altered = { ...signed, plan: { ...signed.plan, scanner: { ...signed.plan.scanner, files: [{ path: 's.sql', base64: Buffer.from('SELECT 2').toString('base64') }] } } };
    expect(checkSignature(altered, 'secret')).to.match(/does not match/);
    expect(checkSignature({ ...signed, tasks: [{ ...signed.tasks[0], ticker: 'BBB' }] }, 'secret')).to.match(/does not match/);
    expect(checkSignature({ ...signed, tasks: [] }, 'secret'), 'a task taken out').to.match(/does not match/);
    expect(checkSignature({ ...signed, alone: true }, 'secret'), 'marked alone by someone else').to.match(/does not match/);
    expect(checkSignature(signShardJob({ ...job, alone: true }, 'secret'), 'secret'), 'marked alone by the coordinator').to.equal(null);
    expect(checkSignature({ ...signed, signature: '' }, 'secret')).to.match(/unsigned/);
    expect(checkSignature({ ...signed, signature: 'zz' }, 'secret')).to.match(/does not match/);
  });
});
