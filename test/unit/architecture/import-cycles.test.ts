import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../../helpers/temp.js';

/**
 * No two files of src/ import each other, directly or through others, type imports included: a cycle makes
 * load order matter at run time and keeps a module from being understood (or compiled to declarations) alone.
 * Dynamic `import()`s are left out: they load on demand, after every static import has finished.
 */
const SRC = path.join(ROOT, 'src');
const STATIC_IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm;

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listSources(p) : /\.(ts|mts)$/.test(e.name) ? [p] : [];
  });
}

function readImportGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listSources(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const target = path.resolve(path.dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts'));
      if (fs.existsSync(target)) deps.push(path.relative(SRC, target));
    }
    graph.set(path.relative(SRC, file), deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each as a sorted list of files. */
function findCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('the import graph of src/', () => {
  it('has no cycle, type imports included', () => {
    expect(findCycles(readImportGraph())).to.deep.equal([]);
  });

  it('is read with its type imports (the check can see a cycle)', () => {
    const graph = readImportGraph();
    expect(graph.get('types.ts')).to.include(path.join('day-db', 'read-only-db.ts'));
    expect(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['a.ts']]]))).to.deep.equal([['a.ts', 'b.ts']]);
  });
});
