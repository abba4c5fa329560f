/**
 * Shared by the warm Python tests: whether python3 is there, day bars as barwise hands them to a day
 * database, and the processes a child registry holds.
 */
import { spawnSync } from 'node:child_process';
import { exchangeTimeOfDay } from '../../src/data/exchange-time.js';
import type { Bar } from '../../src/types.js';
import { makeDay } from './bars.js';

export const HAS_PYTHON = !spawnSync('python3', ['--version']).error;

export function makeDayBars(date: string, ticker: string, slots: number): Bar[] {
  return makeDay(ticker, date, { slots }).map((b) => ({ ...b, time_of_day: exchangeTimeOfDay(b.timestamp) }));
}

/** The pids a child registry's table holds (the live runner, if any). */
export function listTrackedPids(table: SharedArrayBuffer): number[] {
  return [...new Int32Array(table)].filter((pid) => pid > 0);
}

/** True once `pid` no longer exists (within `ms`). */
export async function waitUntilGone(pid: number, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}
