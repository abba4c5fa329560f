/**
 * The same option values given as CLI flags, as a batch job and as a library call resolve to the same run
 * plan, so the same hash. Option sets are generated from the option table itself: a row added there is
 * generated here too (its type decides its values), so a new option cannot drift between the three doors.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yargs from 'yargs';
import { expect } from 'chai';
import { OPTION_ROWS, CLI, type OptionRow } from '../../src/config/options.js';
import { addOptionFlags, readOptionFlags } from '../../src/cli/option-flags.js';
import { parseBatchConfig } from '../../src/batch/batch-config.js';
import { resolveJob } from '../../src/batch/resolve-job.js';
import { resolveRun } from '../../src/plan/resolve-run.js';
import { hashPlan, selectIdentity } from '../../src/plan/run-plan.js';
import { makeDay, writeStore } from '../helpers/bars.js';
import { ROOT, useTempDir } from '../helpers/temp.js';

const SCANNER = path.join(ROOT, 'scanners/opening-range-breakout.sql');
const TICKERS = ['AAA', 'BBB', 'CCC'];
const DATES = ['2025-11-03', '2025-11-04', '2025-11-05'];

/**
 * Rows a job's options can set, less those whose valid values depend on the store or scanner in ways a
 * generic generator cannot know (daily bars need 1day bars; the kind must fit the file; a rules file must exist;
 * --shares and --risk-per-trade are short forms of --size, which is generated, and may not come with it; scanner
 * writes need a script: test/integration/legacy-context.test.ts checks that one's identity).
 */
// Sweep rows are keys of a job's `sweep:` block, not of the run plan every combination shares.
const GENERATED = OPTION_ROWS.filter((r) => r.batch && r.flag && r.type !== 'rules' && r.section !== 'sweep' && !['dailyBars', 'scannerKind', 'config', 'riskPerTrade', 'shares', 'allowScannerWrites'].includes(r.key!));

/** Valid values of a row, kept small where the table allows huge ones (threads, memory, warmup). */
function arbitraryFor(r: OptionRow): fc.Arbitrary<unknown> {
  switch (r.type) {
    case 'integer': {
      const min = r.min ?? 0;
      return fc.integer({ min, max: Math.min(r.max ?? 1000, min + 500) });
    }
    case 'number': {
      const low = Math.max(r.min ?? 0, r.above ?? 0);
      const high = r.below ?? low + 500;
      // Tenths (or whole seconds for scaled options) survive the trip through a CLI string exactly.
      const scale = r.cliScale ?? 1;
      return fc.integer({ min: Math.floor(low * 10) + 1, max: Math.ceil(high * 10) - 1 }).map((x) => (scale > 1 ? Math.ceil(x / 10) * scale : x / 10));
    }
    case 'choice': return fc.constantFrom(...r.choices!);
    case 'boolean': return fc.boolean();
    case 'list': return fc.subarray(TICKERS, { minLength: 1 });
    case 'time': return fc.tuple(fc.integer({ min: 9, max: 15 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    case 'string':
      if (r.key === 'timeframe') return fc.constant('5min');
      // Sizes any generated --max-exposure (0.1 and up) can buy.
      if (r.key === 'size') return fc.constantFrom('shares:50', 'dollars:5000', 'equity-pct:5');
      // Any ticker (in any case), or none; a ticker the store lacks is a note at the run's end, not a plan error.
      if (r.key === 'benchmark') return fc.constantFrom('SPY', 'qqq', 'AAA', 'none', 'None');
      return fc.string({ minLength: 1 });
    // The parameters SCANNER declares (or_bars integer, vol_mult number), any subset of them.
    case 'params': return fc.record({ or_bars: fc.integer({ min: 1, max: 12 }), vol_mult: fc.integer({ min: 1, max: 50 }).map((x) => x / 10) }, { requiredKeys: [] });
    default: throw new Error(`no generator for option type ${r.type} (row ${r.key}): add one`);
  }
}

const optionSet = fc.record(Object.fromEntries(GENERATED.map((r) => [`${r.section}.${r.key}`, arbitraryFor(r)])), { requiredKeys: [] });

function toLibrary(set: Record<string, unknown>): { run: Record<string, unknown>; trade: Record<string, unknown> | undefined } {
  const run: Record<string, unknown> = {};
  const trade: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set)) {
    const [section, key] = k.split('.');
    (section === 'trade' ? trade : run)[key] = v;
  }
  return { run, trade: Object.keys(trade).length > 0 ? trade : undefined };
}

function toFlags(set: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const [k, v] of Object.entries(set)) {
    const r = GENERATED.find((x) => `${x.section}.${x.key}` === k)!;
    if (r.type === 'boolean') args.push(v ? `--${r.flag}` : `--no-${r.flag}`);
    else if (r.type === 'params') for (const [name, value] of Object.entries(v as object)) args.push(`--${r.flag}`, `${name}=${value}`);
    else args.push(`--${r.flag}`, Array.isArray(v) ? v.join(',') : String(r.cliScale ? (v as number) / r.cliScale : v));
  }
  return args;
}

describe('property: one plan whichever way the options come in', function () {
  const tmp = useTempDir();
  let db: string;
  before(() => {
    db = writeStore(path.join(tmp(), 'm.db'), TICKERS.flatMap((t) => DATES.map((d) => makeDay(t, d, { slots: 24 })).flat()));
  });

  it('CLI flags, a batch job and a library call with the same values have the same RunPlan hash', async () => {
    const batchFile = path.join(tmp(), 'b.yaml');
    fs.writeFileSync(batchFile, '');
    await fc.assert(fc.asyncProperty(optionSet, fc.subarray(TICKERS, { minLength: 1 }), async (set, tickers) => {
      const { run, trade } = toLibrary(set);
      const where = { db, scanner: SCANNER, tickers, from: DATES[0], to: DATES[2] };
      const library = await resolveRun({ ...where, ...run, ...(trade ? { trade } : {}) });

      const args = ['--db', db, '--scanner', SCANNER, '--tickers', tickers.join(','), '--from', DATES[0], '--to', DATES[2], ...toFlags(set), ...(trade ? [] : ['--no-trade'])];
      const argv = addOptionFlags(yargs([]).strict().exitProcess(false).fail((msg, err) => { throw err ?? new Error(msg); }), 'backtest').parseSync(args) as Record<string, unknown>;
      const cli = await resolveRun({ scanner: SCANNER, ...readOptionFlags(argv) }, CLI);

      const config = parseBatchConfig({ jobs: [{ scanner: SCANNER, db, universe: tickers, range: { from: DATES[0], to: DATES[2] }, options: { ...run, ...(trade ? { trade } : {}) } }] }, batchFile);
      expect(config.jobs[0].ok, JSON.stringify(config.jobs[0])).to.equal(true);
      const job = await resolveJob((config.jobs[0] as { job: Parameters<typeof resolveJob>[0] }).job, config, { resultsDb: ':memory:', threads: 256 });

      expect(selectIdentity(cli)).to.deep.equal(selectIdentity(library));
      expect(selectIdentity(job.plan)).to.deep.equal(selectIdentity(library));
      expect(hashPlan(cli)).to.equal(hashPlan(library));
      expect(hashPlan(job.plan)).to.equal(hashPlan(library));
    }), { numRuns: 40 });
  });

  it('a different value of any option that is part of the identity gives a different hash; a speed-only one does not', async () => {
    const base = { db, scanner: SCANNER, tickers: TICKERS, from: DATES[0], to: DATES[2] };
    const baseHash = hashPlan(await resolveRun(base));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...GENERATED), fc.nat(), async (row, seed) => {
      const value = fc.sample(arbitraryFor(row), { seed, numRuns: 1 })[0];
      const options = row.section === 'trade' ? { ...base, trade: { [row.key!]: value } } : { ...base, [row.key!]: value };
      const plan = await resolveRun(options as never);
      const defaultPlan = await resolveRun(row.section === 'trade' ? { ...base, trade: {} } : base);
      // A value equal to what the default resolves to is no difference at all.
      const same = JSON.stringify(selectIdentity(plan)) === JSON.stringify(selectIdentity(defaultPlan));
      if (!row.identity) expect(hashPlan(plan)).to.equal(row.section === 'trade' ? hashPlan(defaultPlan) : baseHash);
      else if (!same) expect(hashPlan(plan)).to.not.equal(hashPlan(defaultPlan));
    }), { numRuns: 40 });
  });
});
