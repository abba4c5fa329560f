/**
 * `barwise/scanner`: what a scanner file needs (defineScanner and the types of its context), without the
 * engine. A module scanner is loaded in every worker (and, with --mode naive, in a process per step), so
 * importing the whole library (`barwise`: the engine, batch, zod, yaml, Piscina) there would be paid once
 * per worker for a function that returns its argument.
 */
export { defineScanner } from './scanners/define-scanner.js';
export type { Bar, DailyBar, Direction, ReferenceBars, ScanContext, ScanResult, ScannerModule, ScannerParamShape, ScannerSignal } from './types.js';
export type { ReadOnlyDb, ReadOnlyStatement } from './day-db/day-db.js';
