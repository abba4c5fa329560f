/**
 * Scanner parameters: how declarations are read from each kind of scanner, how given values are checked and
 * typed against them, and how they travel (SQL bindings, a script's environment and requests, the plan).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { BarwiseError } from '../../../src/errors.js';
import { CLI, LIBRARY } from '../../../src/config/options.js';
import { readParamFlags } from '../../../src/cli/option-flags.js';
import { gatherRepeatedFlags } from '../../../src/cli/gather-repeated-flags.js';
import { splitTradeParams } from '../../../src/config/split-trade-params.js';
import { DayDb } from '../../../src/day-db/day-db.js';
import { parseSqlHeader } from '../../../src/scanners/scanner-options.js';
import { parseParamDecl, readModuleParams, resolveParams, type ParamDecl } from '../../../src/scanners/scanner-params.js';
import { createSqlScanner, readSqlScannerMeta } from '../../../src/scanners/sql-scanner.js';
import { paramsEnv, persistentRequest, scriptEnv } from '../../../src/scanners/script/script-env.js';
import { readScriptMeta } from '../../../src/scanners/script/script-scanner.js';
import { mergeOverRecorded } from '../../../src/plan/plan-to-options.js';
import type { DayState } from '../../../src/scanners/step-scanner.js';
import type { Bar } from '../../../src/types.js';
import { useTempDir } from '../../helpers/temp.js';

const DECLS: ParamDecl[] = [
  { name: 'vol_mult', type: 'number', default: 1.5 },
  { name: 'or_bars', type: 'integer', default: 6 },
  { name: 'side', type: 'string', default: 'long' },
  { name: 'strict', type: 'boolean', default: false },
];

function thrown(fn: () => unknown): BarwiseError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(BarwiseError);
    return err as BarwiseError;
  }
  throw new Error('expected an error');
}

describe('scanner parameters', () => {
  const tmp = useTempDir();

  describe('resolving given values against the declarations', () => {
    it('fills every declared name with its default, keys sorted, frozen', () => {
      const p = resolveParams(DECLS, {}, '--param');
      expect(Object.keys(p)).to.deep.equal(['or_bars', 'side', 'strict', 'vol_mult']);
      expect(p).to.deep.equal({ or_bars: 6, side: 'long', strict: false, vol_mult: 1.5 });
      expect(Object.isFrozen(p)).to.equal(true);
    });

    it('parses CLI text as each declared type, and takes typed values of that type', () => {
      expect(resolveParams(DECLS, { vol_mult: '2.5', or_bars: '12', side: 'short', strict: 'true' }, '--param'))
        .to.deep.equal({ or_bars: 12, side: 'short', strict: true, vol_mult: 2.5 });
      expect(resolveParams(DECLS, { vol_mult: 3, or_bars: 3, side: 'x', strict: false }, 'options.params'))
        .to.deep.equal({ or_bars: 3, side: 'x', strict: false, vol_mult: 3 });
    });

    it('gives the same result whatever order the values are given in', () => {
      const a = resolveParams(DECLS, { vol_mult: '2', or_bars: '3' }, '--param');
      const b = resolveParams(DECLS, { or_bars: '3', vol_mult: '2' }, '--param');
      expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
    });

    it('refuses an undeclared name, naming the closest declared one and all of them', () => {
      const err = thrown(() => resolveParams(DECLS, { vol_mul: '2' }, '--param'));
      expect(err.code).to.equal('USAGE');
      expect(err.message).to.equal('--param vol_mul: the scanner declares no parameter "vol_mul"; did you mean vol_mult?');
      expect(err.hint).to.equal("Declared: vol_mult = 1.5 (number), or_bars = 6 (integer), side = 'long' (string), strict = false (boolean).");
      expect(thrown(() => resolveParams(DECLS, { zzz: 1 }, 'options.params')).message)
        .to.equal('options.params.zzz: the scanner declares no parameter "zzz"');
    });

    it('refuses any value for a scanner that declares none', () => {
      expect(thrown(() => resolveParams([], { x: '1' }, '--param')).message).to.equal('--param x: the scanner declares no parameters');
    });

    it('refuses a value of the wrong type, naming the parameter and its type', () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ vol_mult: 'abc' }, '--param vol_mult must be a number, got "abc"'],
        [{ vol_mult: 'Infinity' }, '--param vol_mult must be a number, got "Infinity"'],
        [{ or_bars: '2.5' }, '--param or_bars must be a whole number (integer), got "2.5"'],
        [{ or_bars: 2.5 }, '--param or_bars must be a whole number (integer), got 2.5'],
        [{ strict: 'yes' }, '--param strict must be true or false, got "yes"'],
        [{ side: 5 }, '--param side must be a string, got 5'],
      ];
      for (const [given, message] of cases) {
        const err = thrown(() => resolveParams(DECLS, given as Record<string, string>, '--param'));
        expect(err.message).to.equal(message);
        expect(err.hint).to.match(/^The scanner declares /);
      }
    });

    it('refuses an empty value for every type', () => {
      for (const name of ['vol_mult', 'or_bars', 'side', 'strict']) {
        expect(thrown(() => resolveParams(DECLS, { [name]: '' }, '--param')).message).to.equal(`--param ${name} must be ${
          name === 'vol_mult' ? 'a number' : name === 'or_bars' ? 'a whole number (integer)' : name === 'side' ? 'a string' : 'true or false'}, got ""`);
      }
    });

    it('does not take a parameter named like an Object member as given by every object', () => {
      const p = resolveParams([{ name: 'constructor', type: 'integer', default: 1 }], {}, '--param');
      expect(p).to.deep.equal({ constructor: 1 });
    });
  });

  describe('declarations', () => {
    it('an SQL header or script literal: integer, number, quoted string, boolean', () => {
      expect(parseParamDecl('or_bars = 6', 'f')).to.deep.equal({ name: 'or_bars', type: 'integer', default: 6 });
      expect(parseParamDecl('vol_mult=2.0', 'f')).to.deep.equal({ name: 'vol_mult', type: 'number', default: 2 });
      expect(parseParamDecl('k = -1.5e2', 'f')).to.deep.equal({ name: 'k', type: 'number', default: -150 });
      expect(parseParamDecl("side = 'it''s'", 'f')).to.deep.equal({ name: 'side', type: 'string', default: "it's" });
      expect(parseParamDecl('strict = true', 'f')).to.deep.equal({ name: 'strict', type: 'boolean', default: true });
    });

    it('refuses a declaration without a typed default or with a bad name', () => {
      expect(thrown(() => parseParamDecl('vol_mult', 'x.sql')).message).to.equal('x.sql: a parameter is declared as name = default, got "vol_mult"');
      expect(thrown(() => parseParamDecl('side = long', 'x.sql')).message).to.equal('x.sql: parameter side has no default of a known type: "long"');
      expect(thrown(() => parseParamDecl('vol-mult = 2', 'x.sql')).message).to.equal('x.sql: "vol-mult" is not a parameter name');
      expect(thrown(() => parseParamDecl('__proto__ = 2', 'x.sql')).message).to.equal('x.sql: "__proto__" is not a parameter name');
    });

    it('reads SQL header params in order and refuses one declared twice', () => {
      const h = parseSqlHeader('-- name: x\n-- param: a = 1\n-- param: b = 0.5\nSELECT 1', 'x.sql');
      expect(h.params).to.deep.equal([{ name: 'a', type: 'integer', default: 1 }, { name: 'b', type: 'number', default: 0.5 }]);
      expect(thrown(() => parseSqlHeader('-- param: a = 1\n-- param: a = 2\nSELECT 1', 'x.sql')).message).to.equal('x.sql: parameter a is declared twice');
    });

    it("refuses an SQL parameter named like one of barwise's bindings", () => {
      const file = path.join(tmp(), 'reserved.sql');
      fs.writeFileSync(file, '-- param: ticker = 1\nSELECT 1');
      expect(thrown(() => readSqlScannerMeta(file)).message).to.equal(`${file}: parameter ticker has the name of one of barwise's own bindings (:ticker)`);
    });

    it("reads a module's params object: every number is a number, text a string, true/false a boolean", () => {
      expect(readModuleParams({ orBars: 6, volMult: 2.5, side: 'long', strict: true }, 'm.ts')).to.deep.equal([
        { name: 'orBars', type: 'number', default: 6 }, { name: 'volMult', type: 'number', default: 2.5 },
        { name: 'side', type: 'string', default: 'long' }, { name: 'strict', type: 'boolean', default: true },
      ]);
      expect(thrown(() => readModuleParams([1], 'm.ts')).message).to.match(/^m\.ts: params must be an object of defaults/);
      expect(thrown(() => readModuleParams({ a: null }, 'm.ts')).message).to.equal('m.ts: params.a must default to a number, a string or true/false, got null');
      expect(thrown(() => readModuleParams({ a: NaN }, 'm.ts')).message).to.equal('m.ts: params.a must default to a number, a string or true/false, got null');
    });

    it("reads a script's param: tokens from its barwise comment", () => {
      const file = path.join(tmp(), 'p.sh');
      fs.writeFileSync(file, "#!/bin/sh\n# barwise: warmup=3 param:min_rise=0.5 param:side='LONG'\necho []\n", { mode: 0o755 });
      expect(readScriptMeta(file).params).to.deep.equal([{ name: 'min_rise', type: 'number', default: 0.5 }, { name: 'side', type: 'string', default: 'LONG' }]);
      fs.writeFileSync(file, '#!/bin/sh\n# barwise: param:ab=1 param:AB=2\necho []\n');
      expect(thrown(() => readScriptMeta(file)).message).to.equal(`${file} (as BARWISE_PARAM_<NAME>): parameter AB is declared twice`);
    });
  });

  describe('how the values reach the scanner', () => {
    const bar: Bar = { ticker: 'AAA', timestamp: 1_762_180_200_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 100, time_of_day: '09:30:00' } as Bar;

    it('SQL: bound on every execution, an integer as an SQLite INTEGER (7 / :n divides as 7 / 2)', () => {
      const file = path.join(tmp(), 'types.sql');
      fs.writeFileSync(file, "-- param: n = 2\n-- param: x = 2.0\n-- param: flag = true\n-- param: s = 'a'\n"
        + 'SELECT 7 / :n AS int_div, 7 / :x AS real_div, typeof(:n) AS tn, typeof(:x) AS tx, :flag AS flag, :s AS s');
      const dayDb = new DayDb();
      try {
        const day = { ticker: 'AAA', date: '2025-11-03', dayStartMs: 0, bars: [bar], dayDb } as unknown as DayState;
        const scanner = createSqlScanner(file, dayDb, { flag: false, n: 2, s: 'b', x: 2 });
        expect(scanner.scan(day, 0)).to.deep.equal([{ int_div: 3, real_div: 3.5, tn: 'integer', tx: 'real', flag: 0, s: 'b' }]);
        const again = createSqlScanner(file, dayDb, { flag: true, n: 3, s: 'a', x: 4 });
        expect(again.scan(day, 0)).to.deep.equal([{ int_div: 2, real_div: 1.75, tn: 'integer', tx: 'real', flag: 1, s: 'a' }]);
      } finally {
        dayDb.close();
      }
    });

    it('SQL: an undeclared :name is refused before any step, naming it and the closest binding', () => {
      const file = path.join(tmp(), 'undeclared.sql');
      fs.writeFileSync(file, '-- param: vol_mult = 2\nSELECT :vol_mul AS x');
      const dayDb = new DayDb();
      try {
        const err = thrown(() => createSqlScanner(file, dayDb, { vol_mult: 2 }));
        expect(err.code).to.equal('SCANNER_INVALID');
        expect(err.message).to.equal(`${file}: Missing named parameter "vol_mul": :vol_mul is neither one of barwise's bindings nor a declared parameter (its declared parameters: vol_mult = 2 (integer)); did you mean :vol_mult?`);
        expect(err.hint).to.equal('Available parameters: :ticker, :date, :as_of, :time, :day_start, :vol_mult; or declare it in the header, e.g. -- param: vol_mul = 2.');
      } finally {
        dayDb.close();
      }
    });

    it('scripts: BARWISE_PARAMS (JSON, sorted keys) and BARWISE_PARAM_<NAME>; requests carry params', () => {
      const params = { vol_mult: 2.5, or_bars: 3, strict: true, side: 'long' };
      expect(paramsEnv(params)).to.deep.equal({
        BARWISE_PARAMS: '{"or_bars":3,"side":"long","strict":true,"vol_mult":2.5}',
        BARWISE_PARAM_OR_BARS: '3', BARWISE_PARAM_SIDE: 'long', BARWISE_PARAM_STRICT: 'true', BARWISE_PARAM_VOL_MULT: '2.5',
      });
      expect(scriptEnv('/d.db', 'AAA', '2025-11-03', bar, params).BARWISE_PARAM_VOL_MULT).to.equal('2.5');
      expect(JSON.stringify(persistentRequest('/d.db', 'AAA', '2025-11-03', bar, params).params)).to.equal('{"or_bars":3,"side":"long","strict":true,"vol_mult":2.5}');
    });

    it('scripts without parameters: the environment and requests they always had', () => {
      expect(Object.keys(scriptEnv('/d.db', 'AAA', '2025-11-03', bar, {})).filter((k) => k.startsWith('BARWISE_'))).to.deep.equal([]);
      expect('params' in persistentRequest('/d.db', 'AAA', '2025-11-03', bar, {})).to.equal(false);
    });
  });

  describe('--param on the CLI, and trade rules as parameters', () => {
    it('reads repeated NAME=VALUE flags; the value is everything after the first =', () => {
      expect(readParamFlags(['a=1', 'b=x=y', 'trade.stopPct=0.5'], 'param')).to.deep.equal({ a: '1', b: 'x=y', 'trade.stopPct': '0.5' });
      expect(readParamFlags('a=1', 'param')).to.deep.equal({ a: '1' });
    });

    it('gathers every --param (both spellings) into one, in order, and leaves other flags and what follows -- alone', () => {
      expect(gatherRepeatedFlags(['backtest', '--param', 'a=1', '--threads', '1', '--param=b=2', '--threads', '2', '--', '--param', 'c=3']))
        .to.deep.equal(['backtest', '--param', 'a=1', 'b=2', '--threads', '1', '--threads', '2', '--', '--param', 'c=3']);
      expect(gatherRepeatedFlags(['backtest', '--threads', '2'])).to.deep.equal(['backtest', '--threads', '2']);
      expect(gatherRepeatedFlags(['backtest', '--param', '--threads', '2'])).to.deep.equal(['backtest', '--param', '--threads', '2']);
    });

    it('refuses a flag without =, and a name given twice', () => {
      expect(thrown(() => readParamFlags([], 'param')).message).to.equal('--param needs NAME=VALUE, e.g. --param vol_mult=2.5');
      expect(thrown(() => readParamFlags(['a'], 'param')).message).to.equal('--param a: write NAME=VALUE, e.g. --param vol_mult=2.5');
      expect(thrown(() => readParamFlags(['=3'], 'param')).message).to.equal('--param =3: write NAME=VALUE, e.g. --param vol_mult=2.5');
      expect(thrown(() => readParamFlags(['a=1', 'a=2'], 'param')).message).to.equal('--param a is given twice (1 and 2)');
    });

    it('takes trade.RULE out of the scanner parameters and into the rules, checked as the rule is', () => {
      expect(splitTradeParams({ 'trade.stopPct': '0.5', vol_mult: '2' }, undefined, CLI)).to.deep.equal({ scanner: { vol_mult: '2' }, trade: { stopPct: 0.5 } });
      expect(splitTradeParams({ 'trade.targetPct': 2 }, { stopPct: 1 }, LIBRARY)).to.deep.equal({ scanner: {}, trade: { stopPct: 1, targetPct: 2 } });
      expect(thrown(() => splitTradeParams({ 'trade.stopPct': '-1' }, undefined, CLI)).message).to.equal('--param trade.stopPct must be a number above 0 and below 100, got -1');
      expect(thrown(() => splitTradeParams({ 'trade.stopPct': 'x' }, undefined, LIBRARY)).message).to.equal('options.params.trade.stopPct must be a number above 0 and below 100, got "x"');
      expect(thrown(() => splitTradeParams({ 'trade.stopPtc': '1' }, undefined, CLI)).message).to.equal('--param trade.stopPtc: "stopPtc" is not a trade rule; did you mean trade.stopPct?');
    });

    it('refuses a rule given both as a parameter and as its own option', () => {
      expect(thrown(() => splitTradeParams({ 'trade.stopPct': '0.5' }, { stopPct: 1 }, CLI)).message).to.equal('--param trade.stopPct and --stop-pct both set the trade rule stopPct');
      expect(thrown(() => splitTradeParams({ 'trade.stopPct': 0.5 }, { stopPct: 1 }, LIBRARY)).message).to.equal('options.params.trade.stopPct and options.trade.stopPct both set the trade rule stopPct');
    });

    it('on resume, a parameter given replaces that one only, and a rule parameter replaces the recorded rule', () => {
      const recorded = { scanner: 's.sql', params: { or_bars: 6, vol_mult: 1.5 }, trade: { stopPct: 1, targetPct: 2 } };
      const merged = mergeOverRecorded(recorded, { params: { vol_mult: '3', 'trade.stopPct': '0.5' } as never });
      expect(merged.params).to.deep.equal({ or_bars: 6, vol_mult: '3', 'trade.stopPct': '0.5' });
      expect(merged.trade).to.deep.equal({ targetPct: 2 });
      expect(splitTradeParams(merged.params, merged.trade, CLI).trade).to.deep.equal({ targetPct: 2, stopPct: 0.5 });
    });
  });
});
