/**
 * `defineScanner` gives a module scanner its types without a build step:
 *
 *   import { defineScanner } from 'barwise/scanner';
 *   export default defineScanner({ name: 'x', warmupBars: 12, scan(ctx) { ... } });
 */
import type { ScannerModule } from '../types.js';

export function defineScanner<T extends ScannerModule>(scanner: T): T {
  return scanner;
}
