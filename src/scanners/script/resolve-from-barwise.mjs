// Loaded with --import into legacy JavaScript/TypeScript scripts: a bare import that the script's own
// location cannot resolve (`import Database from 'better-sqlite3'` in a script outside any project) is
// resolved from barwise's node_modules instead. ESM ignores NODE_PATH, hence this hook.
import { register } from 'node:module';

register(new URL('./resolve-from-barwise-hooks.mjs', import.meta.url));
