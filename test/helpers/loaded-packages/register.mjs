// `node --import` this file to have every module the process loads through `import` appended to the file named
// by BARWISE_LOADED_MODULES, one URL a line (hooks.mjs). Tests read it to see which packages a command loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
