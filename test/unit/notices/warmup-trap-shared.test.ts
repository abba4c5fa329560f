/**
 * The warmup-trap check of a sweep's scans shares one FirstSteps: a ticker-day's first step is read from the
 * market once for all of them, and a run whose options put its first step elsewhere (another warmup) is
 * never answered from another's. The first steps are spelt out here: slot `warmup` of a day from 09:30.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { checkWarmupTrap, rememberFirstSteps, type FirstSteps } from '../../../src/notices/warmup-trap.js';
import type { RunResult } from '../../../src/engine/run-result.js';
import type { RunPlan } from '../../../src/plan/run-plan.js';
import type { Signal } from '../../../src/types.js';
import { makeDay, nyTime, writeStore } from '../../helpers/bars.js';
import { useTempDir } from '../../helpers/temp.js';

const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];

/** A signal of X at 09:30 + 5 min × slot on `date`. */
function at(date: string, slot: number): Signal {
  const ts = nyTime(date, '09:30') + slot * 300_000;
  const m = 30 + 5 * slot;
  return {
    ticker: 'X', signal_date: date, signal_time: `${String(9 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`,
    timestamp: ts, seq: 0, direction: 'LONG', pattern_strength: null, metrics: {},
  };
}

const result = (signals: Signal[]) => ({ signals }) as unknown as RunResult;
const planOf = (db: string, warmup: number) => ({ db, options: { warmup, mode: 'realtime', timeframe: '5min', session: 'regular' } }) as unknown as RunPlan;

describe('notices: the warmup trap over a shared FirstSteps', () => {
  const dir = useTempDir();

  it('reads each ticker-day once for every scan, and answers another warmup from its own bars', () => {
    const db = writeStore(path.join(dir(), 'market.db'), DATES.flatMap((d) => makeDay('X', d)));
    const firstSteps: FirstSteps = new Map();
    // Scan 1 fires at slot 2 (09:40) every day: with warmup 2 that is the first step.
    const one = checkWarmupTrap(result(DATES.map((d) => at(d, 2))), planOf(db, 2), firstSteps);
    expect(one?.code).to.equal('WARMUP_TRAP');
    expect(one?.message).to.match(/^3 of 3 signals \(100%\) fired at the first step of their day \(bar 2, 09:40 on most days\)/);

    // The market file is gone: a second scan on the same days and options is answered from what was read.
    fs.rmSync(db);
    const two = checkWarmupTrap(result([at(DATES[0], 5), at(DATES[1], 2), at(DATES[2], 2)]), planOf(db, 2), firstSteps);
    expect(two?.message).to.match(/^2 of 3 signals \(66\.7%\) fired at the first step/);

    // Under warmup 3 the first step is slot 3: the bars must be read again, and the file is gone.
    expect(() => checkWarmupTrap(result(DATES.map((d) => at(d, 2))), planOf(db, 3), firstSteps)).to.throw();
  });

  it('answers from the first steps the workers found, reading only the days they did not say', () => {
    const db = writeStore(path.join(dir(), 'market.db'), DATES.flatMap((d) => makeDay('X', d)));
    const slot = (date: string, k: number) => nyTime(date, '09:30') + k * 300_000;
    const firstSteps: FirstSteps = new Map();
    // As the workers would have it with warmup 2 on the first two days; the third day is not said.
    rememberFirstSteps(firstSteps, planOf(db, 2), [
      { ticker: 'X', date: DATES[0], firstStep: slot(DATES[0], 2) }, { ticker: 'X', date: DATES[1], firstStep: slot(DATES[1], 2) },
      { ticker: 'X', date: DATES[2], firstStep: undefined },
    ]);
    const two = DATES.slice(0, 2).map((d) => at(d, 2));
    fs.rmSync(db);
    expect(checkWarmupTrap(result([...two, at(DATES[0], 3)]), planOf(db, 2), firstSteps)?.message).to.match(/^2 of 3 signals \(66\.7%\) fired at the first step/);
    // The third day's first step must be read, and the market is gone; another warmup is not answered either.
    expect(() => checkWarmupTrap(result([...two, at(DATES[2], 2)]), planOf(db, 2), firstSteps)).to.throw();
    expect(() => checkWarmupTrap(result(two.concat(at(DATES[0], 3))), planOf(db, 3), firstSteps)).to.throw();
  });
});
