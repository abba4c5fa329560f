/**
 * `defineScanner` gives a module scanner its types without a build step:
 *
 *   import { defineScanner } from 'barwise/scanner';
 *   export default defineScanner({ name: 'x', warmupBars: 12, scan(ctx) { ... } });
 *
 * With per-ticker-day state, `init` makes it and `scan` receives it, typed from what `init` returns:
 *
 *   export default defineScanner({
 *     name: 'x',
 *     init: () => ({ highs: 0 }),
 *     scan(ctx, state) { if (ctx.bar.high > ctx.bars[0].high) state.highs++; return null; },
 *   });
 *
 * Parameters are typed from their defaults: with `params: { orBars: 6 }`, `ctx.params.orBars` is a number.
 */
import type { ScannerModule, ScannerParamShape } from '../types.js';

export function defineScanner<S = undefined, P extends ScannerParamShape = ScannerParamShape>(scanner: ScannerModule<S, P>): ScannerModule<S, P> {
  return scanner;
}
