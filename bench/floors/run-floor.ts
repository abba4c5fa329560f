/**
 * A floor in a process of its own, as barwise runs: `node --import tsx bench/floors/run-floor.ts sqlite|js
 * DB SCANNER OUT`. Writes the FloorResult as JSON to OUT. The SQL scanner's header is read here by a regex
 * (warmup, `param: name = value`; a whole number binds as an integer), not by barwise's parser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runJsFloor } from './js-floor.js';
import { runSqliteFloor } from './sqlite-floor.js';

const [kind, db, scanner, out] = process.argv.slice(2);
if (!kind || !db || !scanner || !out) {
  console.error('usage: run-floor.ts sqlite|js DB SCANNER OUT');
  process.exit(2);
}

if (kind === 'sqlite') {
  const sql = fs.readFileSync(scanner, 'utf8');
  const warmup = Number(/^--\s*warmup:\s*(\d+)/m.exec(sql)?.[1] ?? 0);
  const params: Record<string, number | bigint | string> = {};
  for (const m of sql.matchAll(/^--\s*param:\s*(\w+)\s*=\s*(\S+)/gm)) params[m[1]] = /^-?\d+$/.test(m[2]) ? BigInt(m[2]) : Number(m[2]);
  fs.writeFileSync(out, JSON.stringify(runSqliteFloor({ db, scanner, warmup, params })));
} else if (kind === 'js') {
  fs.writeFileSync(out, JSON.stringify(await runJsFloor(db, path.resolve(scanner))));
} else {
  console.error(`run-floor.ts: unknown floor "${kind}" (sqlite or js)`);
  process.exit(2);
}
