/**
 * Reading a run's signals as users query them (`signals WHERE run_id = ?`, the view over shared rows) against
 * reading the rows' table directly: 20,000 signals held by the first of 16 runs sharing them, read for the
 * first run and the last through the view and from the table, 4 rounds of 10 reads, CPU time.
 *
 *   node --import tsx bench/measure-signals-view.ts
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ResultsDb } from '../src/results/results-db.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-view-'));
const file = path.join(dir, 'results.db');
const RUN = { started_at: 't', scanner: 's', scanner_name: 's', db: 'd', from_date: 'a', to_date: 'b', threads: 1, warmup: 0, mode: 'm', version: 'v', inputs: {}, plan: {}, plan_hash: 'h' };
const r = new ResultsDb(file);
const ids: number[] = [];
for (let k = 0; k < 16; k++) ids.push(r.startRun(RUN, k === 0 ? undefined : ids[0]));
const sigs = Array.from({ length: 20000 }, (_, i) => ({ ticker: `T${i % 2000}`, signal_date: `2025-11-${10 + (i % 10)}`, signal_time: '10:00:00', timestamp: 1e12 + i, seq: 0, direction: 'LONG' as const, pattern_strength: 0.5, metrics: { a: i, b: 'x' } }));
r.recordTask(ids[0], 'T', [], sigs, []);
r.close();
const db = new Database(file, { readonly: true });
const q = (from: string) => db.prepare(`SELECT * FROM ${from} WHERE run_id = ? ORDER BY signal_date, timestamp, ticker, seq`);
const view = q('signals'), table = q('signal_rows');
for (let round = 0; round < 4; round++) {
  for (const [name, st, id] of [['view, run 1', view, ids[0]], ['view, run 16', view, ids[15]], ['table, run 1', table, ids[0]]] as const) {
    const t = process.cpuUsage();
    for (let i = 0; i < 10; i++) st.all(id);
    const u = process.cpuUsage(t);
    console.log(`${name}: ${((u.user + u.system) / 1e4).toFixed(1)} ms CPU a read of 20,000`);
  }
}
db.close();
fs.rmSync(dir, { recursive: true, force: true });
