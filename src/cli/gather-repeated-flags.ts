/**
 * Repeatable flags (`--param a=1 --param b=2`, the option table's rows of type params) under a parser that keeps
 * only the last of a repeated flag (main.ts sets duplicate-arguments-array off, so `--threads 1 --threads 2` is
 * 2): every occurrence is gathered into one `--param a=1 b=2`, which the flag, declared as an array, reads
 * whole and in order. Arguments after `--` are left as they are.
 */
import { OPTION_ROWS } from '../config/options.js';

const REPEATABLE = OPTION_ROWS.filter((r) => r.type === 'params' && r.flag).map((r) => r.flag!);

export function gatherRepeatedFlags(args: readonly string[], flags: readonly string[] = REPEATABLE): string[] {
  const end = args.indexOf('--');
  const head = end < 0 ? [...args] : args.slice(0, end);
  const tail = end < 0 ? [] : args.slice(end);
  let out = head;
  for (const flag of flags) {
    const values: string[] = [];
    const rest: string[] = [];
    let first = -1;
    for (let i = 0; i < out.length; i++) {
      const a = out[i];
      if (a === `--${flag}`) {
        if (first < 0) first = rest.length;
        // Its value is the next argument, unless that is another flag (then yargs reports the missing value).
        if (i + 1 < out.length && !out[i + 1].startsWith('--')) values.push(out[++i]);
      } else if (a.startsWith(`--${flag}=`)) {
        if (first < 0) first = rest.length;
        values.push(a.slice(flag.length + 3));
      } else {
        rest.push(a);
      }
    }
    out = first < 0 ? rest : [...rest.slice(0, first), `--${flag}`, ...values, ...rest.slice(first)];
  }
  return [...out, ...tail];
}
