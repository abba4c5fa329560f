/**
 * Which npm packages a CLI run loads on its main thread, read through module hooks (loaded-packages/): a
 * command must not pay at start-up for a package only another command or option needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runCli, type CliResult } from './temp.js';

const REGISTER = pathToFileURL(path.join(ROOT, 'test/helpers/loaded-packages/register.mjs')).href;

/** Runs the CLI with `args`; the result, and the names of the packages under node_modules it loaded. */
export async function runCliListingPackages(args: string[], listFile: string): Promise<CliResult & { packages: string[] }> {
  fs.rmSync(listFile, { force: true });
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import ${REGISTER}`, BARWISE_LOADED_MODULES: listFile } });
  const urls = fs.existsSync(listFile) ? fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean) : [];
  const packages = new Set<string>();
  for (const url of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) packages.add(m[1]);
  }
  return { ...r, packages: [...packages].sort() };
}
