// Module hooks (register.mjs): notes each module's URL as it loads, then loads it unchanged. A package that is
// `import`ed passes here; one that only CommonJS code `require`s from inside another package does not.
import fs from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.BARWISE_LOADED_MODULES) fs.appendFileSync(process.env.BARWISE_LOADED_MODULES, `${url}\n`);
  return nextLoad(url, context);
}
