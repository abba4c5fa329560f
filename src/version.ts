import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-paths.js';

const pkg = createRequire(import.meta.url)(path.join(PACKAGE_ROOT, 'package.json')) as { version: string };
export const VERSION: string = pkg.version;
