/**
 * Module scanners: a `.ts`/`.js`/`.mjs` file whose default export is `{ name, warmupBars?, init?(ctx), scan(ctx, state) }`.
 * TypeScript loads through tsx, with no build step; JavaScript loads as itself, so tsx is only ever started
 * for a user's `.ts` file.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BarwiseError } from '../errors.js';
import { resolveTsxLoaderUrl } from './tsx-loader.js';
import type { Bar, DailyBar, ReferenceBars, ScanContext, ScanResult, ScannerModule } from '../types.js';
import type { ReadOnlyDb } from '../day-db/day-db.js';
import { countVisible } from '../day-db/day-context.js';
import { makeReferenceBars } from './reference-bars.js';
import { parseContextOptions, parseWarmup, type ScannerMeta } from './scanner-options.js';
import { checkUniqueParams, readModuleParams, type ScannerParams } from './scanner-params.js';
import type { DayState, StepScanner } from './step-scanner.js';

export async function importScannerModule(file: string): Promise<{ meta: ScannerMeta; module: ScannerModule<unknown> }> {
  let loaded: Record<string, unknown>;
  if (isTypeScript(file)) resolveTsxLoaderUrl(file); // no tsx installed: say so, before any import fails
  try {
    loaded = await importFile(file);
  } catch (err) {
    throw new BarwiseError('SCANNER_LOAD', `cannot load scanner ${file}: ${firstLines((err as Error).message ?? String(err))}`,
      'Fix the error above; run the file with `npx tsx FILE` to see it in full.');
  }
  let mod = loaded.default as Record<string, unknown> | undefined;
  // A CommonJS file that sets module.exports.default arrives one level deeper.
  if (mod && typeof mod === 'object' && !('scan' in mod) && mod.default && typeof mod.default === 'object') {
    mod = mod.default as Record<string, unknown>;
  }
  const expected = 'export default { name: "my-scanner", warmupBars: 30, scan(ctx) { ... } } (defineScanner from barwise helps)';
  if (!mod || typeof mod !== 'object') {
    throw new BarwiseError('SCANNER_INVALID', `${file} has no default export object`, `Expected ${expected}.`);
  }
  if (typeof mod.scan !== 'function') {
    throw new BarwiseError('SCANNER_INVALID', `${file}: the default export has no scan(ctx) function`, `Expected ${expected}.`);
  }
  if (mod.init !== undefined && typeof mod.init !== 'function') {
    throw new BarwiseError('SCANNER_INVALID', `${file}: init must be a function (init(ctx) returns the ticker-day's state)`, `Expected ${expected}.`);
  }
  if (mod.name !== undefined && typeof mod.name !== 'string') {
    throw new BarwiseError('SCANNER_INVALID', `${file}: name must be a string`, `Expected ${expected}.`);
  }
  const meta: ScannerMeta = {
    path: file,
    kind: 'module',
    name: (mod.name as string | undefined) || path.basename(file, path.extname(file)),
    warmup: mod.warmupBars === undefined ? undefined : parseWarmup(mod.warmupBars, `${file}: warmupBars`),
    ...parseContextOptions({ references: mod.references, lookbackDays: mod.lookbackDays, dailyBars: mod.dailyBars }, file),
    ...(mod.params === undefined ? {} : { params: readModuleParams(mod.params, file) }),
  };
  if (meta.params) checkUniqueParams(meta.params, file);
  return { meta, module: mod as unknown as ScannerModule<unknown> };
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
const isTypeScript = (file: string) => TYPESCRIPT.has(path.extname(file).toLowerCase());

async function importFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!isTypeScript(file)) return import(url);
  // tsImport, not import(): on Node 20 tsx's loader hooks do not reach a dynamic import() inside a
  // worker thread, while tsImport compiles the file and what it imports wherever it is called. Imported
  // dynamically: the static form would resolve to tsx's CommonJS build inside a worker started through
  // tsx's require hook (barwise run from source), which cannot load its own ESM half.
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

export async function createModuleScanner(file: string, params: ScannerParams = {}): Promise<StepScanner> {
  const { meta, module } = await importScannerModule(file);
  const scan = module.scan.bind(module) as (ctx: ScanContext, state?: unknown) => ScanResult | Promise<ScanResult>;
  // Frozen here: the values arrive from the main thread as a structured clone, which is not frozen.
  const frozen = Object.freeze({ ...params });
  if (typeof module.init !== 'function') {
    return { meta, scan: (day, index) => scan(new StepContext(day, index, frozen)) };
  }
  // Per-ticker-day state: init(ctx) at the day's first step, its value handed to every scan of that day and
  // dropped at the day's end, so nothing a scanner keeps this way can reach another ticker-day.
  const init = module.init.bind(module) as (ctx: ScanContext) => unknown;
  let stateDay: DayState | null = null;
  let state: unknown;
  return {
    meta,
    scan(day: DayState, index: number): ScanResult | Promise<ScanResult> {
      const ctx = new StepContext(day, index, frozen);
      if (stateDay === day) return scan(ctx, state);
      stateDay = day;
      state = init(ctx);
      if (!isPromiseLike(state)) return scan(ctx, state);
      return state.then((s) => {
        state = s;
        return scan(ctx, s);
      });
    },
    endDay() {
      stateDay = null;
      state = undefined;
    },
  };
}

/**
 * The `ctx` a module scanner gets: frozen, and holding nothing beyond what is visible at bar `index`. The
 * day (all of its bars, the whole context, the day database) lives in `#private` fields, which no property
 * walk, `console.log`, `Object.getOwnPropertyNames` or prototype trick reaches: only the getters below,
 * each of which cuts what it hands out at the current bar. Frozen because those getters cut at `index` and
 * `bar`: a writable `ctx.index = 77` would turn `ctx.bars` into the whole day. `bars` and `refs` are built on
 * first use. Cost: the freeze is ~40 ns a step (a probe calling scan() directly, no I/O), against ~3 µs a
 * step of reading bars in a run (PERF-NOTES).
 */
class StepContext implements ScanContext {
  readonly ticker: string;
  readonly date: string;
  readonly bar: Bar;
  readonly index: number;
  readonly params: ScannerParams;
  readonly #day: DayState;
  #barsSoFar: readonly Bar[] | undefined;
  #refBars: ReferenceBars | undefined;

  constructor(day: DayState, index: number, params: ScannerParams) {
    this.#day = day;
    this.index = index;
    this.params = params;
    this.ticker = day.ticker;
    this.date = day.date;
    this.bar = day.bars[index];
    Object.freeze(this);
  }

  get bars(): readonly Bar[] {
    // A fresh array each step (bars are frozen): a scanner that keeps or mutates it changes nothing else.
    // Full-day mode (the audit) shows the whole day, as a whole-day backtest loop would.
    return (this.#barsSoFar ??= this.#day.bars.slice(0, this.#day.wholeDay ? this.#day.bars.length : this.index + 1));
  }

  get db(): ReadOnlyDb {
    return this.#day.dayDb.readOnly;
  }

  get refs(): ReferenceBars {
    const day = this.#day;
    const own = (t: string) => t === this.ticker;
    const find = (t: string) => day.context.refs.find((r) => r.ticker === t);
    return (this.#refBars ??= makeReferenceBars(day.context.references, {
      bars: (t) => {
        if (own(t)) return this.bars;
        const ref = find(t);
        // Full-day mode (the audit's leaky backtest) shows references whole, as a whole-day backtest did.
        return ref ? ref.bars.slice(0, day.wholeDay ? ref.bars.length : countVisible(ref.bars, this.bar.timestamp)) : [];
      },
      // The past, whole; the scanned ticker's own when it is a reference too.
      history: (t) => (own(t) ? day.context.history : find(t)?.history ?? []),
      daily: (t) => (own(t) ? day.context.daily : find(t)?.daily ?? []),
    }));
  }

  get history(): readonly Bar[] {
    return this.#day.context.history;
  }

  get daily(): readonly DailyBar[] {
    return this.#day.context.daily;
  }

  toJSON() {
    return { ticker: this.ticker, date: this.date, index: this.index, bar: this.bar };
  }
}

// Shared by every ctx of the worker: frozen, so a scanner cannot re-define a getter for later steps or days.
Object.freeze(StepContext.prototype);

function isPromiseLike(v: unknown): v is Promise<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 6).join('\n');
}
