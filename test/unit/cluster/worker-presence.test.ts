import { expect } from 'chai';
import { trackPresence } from '../../../src/cluster/worker-presence.js';
import { formatWorkers } from '../../../src/cli/format-workers.js';

describe('worker presence', () => {
  it('counts a shard done only when it answered, and lists what runs now', () => {
    const t = trackPresence({ threads: 4, db: '/nowhere/market.db', now: () => new Date('2026-01-02T10:00:00Z') });
    t.planLoaded({ plan: 'abc123abc123', scanner: 'gap.ts', scannerSha256: 'f'.repeat(64), from: '2025-01-02', to: '2025-01-31' });
    t.shardStarted({ plan: 'abc123abc123', shard: 's1', tasks: 5 });
    t.shardStarted({ plan: 'abc123abc123', shard: 's2', tasks: 3 });
    t.shardEnded('s1', true);
    t.shardEnded('s2', false);
    t.shardStarted({ plan: 'abc123abc123', shard: 's3', tasks: 7 });
    t.shardRefused();
    const r = t.read();
    expect(r).to.include({ threads: 4, shardsDone: 1, tasksDone: 5, shardsRefused: 1 });
    expect(r.running.map((s) => s.shard)).to.deep.equal(['s3']);
    expect(r.market).to.deep.equal({ db: '/nowhere/market.db', bytes: 0, modifiedAt: null });
    const text = formatWorkers('redis://:pw@10.0.0.5:6379', [r], new Date('2026-01-02T10:02:05Z'));
    expect(text).to.contain('1 worker connected to redis://:***@10.0.0.5:6379:');
    expect(text).to.contain('4 threads, /nowhere/market.db (0 kB)');
    expect(text).to.contain('running 1 shard of plan abc123abc123 (gap.ts, 2025-01-02 to 2025-01-31)');
    expect(text).to.contain('1 shard (5 tasks) done, 1 refused');
    expect(text).not.to.contain(':pw@');
  });
});
