/**
 * Writes docs/options.md from the option table (`npm run docs:options`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOptionsDoc } from '../src/config/render-options-doc.js';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'options.md');
fs.writeFileSync(file, renderOptionsDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
