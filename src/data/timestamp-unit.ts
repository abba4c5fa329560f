/**
 * Which unit an epoch number is in, told by its magnitude. barwise stores epoch milliseconds; bars of
 * 1990–2100 in seconds, microseconds or nanoseconds fall into ranges a thousandfold apart from it and from
 * each other, so the magnitude alone names the unit without a guess. Used by the CSV import (per row) and
 * by the check of an existing database (per ticker, on its first and last bar).
 */

/** 1990-01-01T00:00:00Z and 2100-01-01T00:00:00Z, epoch ms: bars outside are taken as a mistake. */
export const PLAUSIBLE_FROM_MS = 631_152_000_000;
export const PLAUSIBLE_TO_MS = 4_102_444_800_000;

export interface WrongUnit {
  unit: 'seconds' | 'microseconds' | 'nanoseconds';
  /** Multiply the stored value by this to get milliseconds. */
  toMs: number;
  /** How to convert it in words: `× 1000`, `÷ 1000`, `÷ 1000000`. */
  conversion: string;
}

const UNITS: WrongUnit[] = [
  { unit: 'seconds', toMs: 1e3, conversion: '× 1000' },
  { unit: 'microseconds', toMs: 1e-3, conversion: '÷ 1000' },
  { unit: 'nanoseconds', toMs: 1e-6, conversion: '÷ 1000000' },
];

export function isPlausibleMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= PLAUSIBLE_FROM_MS && ms < PLAUSIBLE_TO_MS;
}

/** The unit an implausible value would be plausible in, or null (plausible as ms, or in no unit at all). */
export function detectWrongUnit(value: number): WrongUnit | null {
  if (isPlausibleMs(value)) return null;
  return UNITS.find((u) => isPlausibleMs(value * u.toMs)) ?? null;
}

/** Why `value` is not a plausible epoch-ms bar time, or null when it is. */
export function describeImplausibleTimestamp(value: number): string | null {
  if (isPlausibleMs(value)) return null;
  const wrong = detectWrongUnit(value);
  if (wrong) {
    const iso = new Date(value * wrong.toMs).toISOString().replace('.000Z', 'Z');
    return `timestamp ${value} looks like epoch ${wrong.unit} (${iso}); barwise expects epoch milliseconds (convert: ${wrong.conversion})`;
  }
  const when = Number.isFinite(value) && Math.abs(value) < 8.64e15 ? ` (${new Date(value).toISOString()})` : '';
  return `timestamp ${value}${when} is outside 1990–2100 in epoch milliseconds, or in seconds, microseconds or nanoseconds: check the timestamp column`;
}
