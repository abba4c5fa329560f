/**
 * The charting library the HTML report inlines: Chart.js's UMD build, read from node_modules when a report
 * is written, so the report opens without a network and the library is never copied into our tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BarwiseError } from '../errors.js';

export function readChartLibrary(): string {
  try {
    const main = createRequire(import.meta.url).resolve('chart.js'); // …/chart.js/dist/chart.cjs
    return fs.readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
  } catch (err) {
    throw new BarwiseError('REPORT_WRITE', `cannot read Chart.js for the HTML report: ${(err as Error).message}`, 'Run npm ci: chart.js is a dependency of barwise.');
  }
}
