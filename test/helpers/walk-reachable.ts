/**
 * Everything reachable from a value, the way a scanner could reach it: own and inherited properties
 * (enumerable or not, symbols too), getters invoked on the object itself, array, typed-array, Map and Set
 * contents, iterables, and the return values of functions called with no argument or with each of
 * `probeArgs` (ticker names, SQL). Built-in prototypes (Object, Array, Function, …) are not walked: they
 * are the language, shared by every program, not something barwise hands out.
 *
 * Reports every bar-like object met (`{ ticker, timestamp }`, SQL rows included) and every number met, so
 * a caller can prove that nothing later than the current bar, and no other ticker's bar, is in reach.
 */
export interface Reached {
  bars: { ticker: string; timestamp: number; path: string }[];
  /** Paths of SQLite connections met (a connection can ATTACH any database: a door to every bar). */
  connections: string[];
  numbers: Map<number, string>;
}

const BUILTIN_PROTOTYPES = new Set<unknown>([
  Object.prototype, Function.prototype, Array.prototype, Map.prototype, Set.prototype, Promise.prototype,
  String.prototype, Number.prototype, Boolean.prototype, Symbol.prototype, Error.prototype, Date.prototype, RegExp.prototype,
  Object.getPrototypeOf(Int8Array.prototype), Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
  Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map()[Symbol.iterator]()),
  Object.getPrototypeOf(new Set()[Symbol.iterator]()), Object.getPrototypeOf(function* () {}).prototype,
  Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(function* () {}),
]);
/** Methods whose call would change files or the connection rather than reveal anything (a raw connection's). */
const SIDE_EFFECTS = new Set(['close', 'backup', 'exec', 'loadExtension', 'function', 'aggregate', 'table', 'unsafeMode', 'beginDay', 'run']);
const MAX_NODES = 200_000;
const MAX_ITEMS = 10_000;

export function walkReachable(root: unknown, probeArgs: readonly unknown[] = []): Reached {
  const seen = new Set<unknown>();
  const out: Reached = { bars: [], connections: [], numbers: new Map() };
  const queue: [unknown, string, unknown][] = [[root, 'ctx', undefined]];
  const visit = (v: unknown, path: string, holder?: unknown) => {
    if (typeof v === 'number') {
      if (!out.numbers.has(v)) out.numbers.set(v, path);
      return;
    }
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      if (!seen.has(v) && !BUILTIN_PROTOTYPES.has(v) && seen.size < MAX_NODES) queue.push([v, path, holder]);
    }
  };
  const attempt = (f: () => unknown, path: string, holder?: unknown) => {
    try {
      const r = f();
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(() => {});
      visit(r, path, holder);
    } catch {
      // not callable that way: nothing reached
    }
  };
  while (queue.length > 0) {
    const [obj, path, holder] = queue.shift()!;
    if (seen.has(obj)) continue;
    seen.add(obj);
    const o = obj as Record<PropertyKey, unknown>;
    if (typeof o.ticker === 'string' && typeof o.timestamp === 'number') out.bars.push({ ticker: o.ticker, timestamp: o.timestamp, path });
    if (typeof o.exec === 'function' && typeof o.prepare === 'function' && 'inTransaction' in o) out.connections.push(path);
    // Own and inherited properties, each read through the object (so prototype getters see their instance).
    for (let p: object | null = obj as object; p !== null && !BUILTIN_PROTOTYPES.has(p); p = Object.getPrototypeOf(p)) {
      if (p !== obj) visit(p, `${path}.__proto__`);
      for (const key of Reflect.ownKeys(p)) {
        const name = `${path}.${String(key)}`;
        const desc = Object.getOwnPropertyDescriptor(p, key)!;
        if (desc.get) attempt(() => desc.get!.call(obj), name);
        else if (!('value' in desc)) continue;
        else attempt(() => Reflect.get(p!, key, obj), name, obj);
      }
    }
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      let i = 0;
      for (const x of obj as unknown as Iterable<unknown>) if (i++ < MAX_ITEMS) visit(x, `${path}[]`);
    } else if (obj instanceof Map) {
      for (const [k, x] of obj) {
        visit(k, `${path}<key>`);
        visit(x, `${path}<${String(k)}>`);
      }
    } else if (!Array.isArray(obj) && typeof o[Symbol.iterator] === 'function' && typeof obj === 'object') {
      // Iterators and generators (an array's items are its own properties, walked above).
      attempt(() => {
        const items: unknown[] = [];
        for (const x of obj as Iterable<unknown>) if (items.push(x) >= MAX_ITEMS) break;
        return items;
      }, `${path}[...]`);
    }
    if (typeof obj === 'function') {
      const f = obj as (...a: unknown[]) => unknown;
      const name = path.slice(path.lastIndexOf('.') + 1);
      if (!SIDE_EFFECTS.has(name)) {
        // Called as a method of the object it was found on. A class constructor throws: nothing reached.
        attempt(() => f.call(holder), `${path}()`);
        if (name === 'get' || name === 'prepare') for (const a of probeArgs) attempt(() => f.call(holder, a), `${path}(${JSON.stringify(a)})`);
      }
    }
  }
  return out;
}
