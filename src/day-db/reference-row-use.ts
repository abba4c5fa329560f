/**
 * Whether a statement can see reference tickers' rows, decided once when it is prepared, from SQLite's own
 * compiled program (EXPLAIN bytecode), never from the SQL text. A statement that provably reads `ohlcv_data`
 * only through its (ticker, timestamp, ...) index with both ends of every range pinned to `:ticker`,
 * and never opens `daily_bars`, gives the same rows whether the other tickers' rows are in the tables or not;
 * the day database then skips inserting them (on the universe with two references: 3 inserts a step become 1).
 *
 * The proof is a must-dataflow over the program's control flow (jumps, subroutines and coroutines included,
 * their return points over-approximated): at every instruction that reads a row of an `ohlcv_data` cursor,
 * on every path, the cursor was positioned no lower than the `:ticker` key (a SeekGE/SeekGT on it, or SeekLE/
 * SeekLT then an IdxLT/IdxLE check) and no higher (an IdxGT/IdxGE check on it, or the backward seek), with the
 * key's first register holding the bound `:ticker` on every path (written only by its Variable, or by a TEXT
 * affinity, which leaves a text value as it is). Every comparison on that index is against such a key, and a
 * range's seek and its end check leave to the same place, so a row of another ticker is met only as "the range
 * ended", exactly as the end of the index is; the registers written between the two are the end key's own
 * (SQLite's range loops rebuild them on each entry before reading them). Reading a rowid, counting rows, a full scan (Rewind/Last),
 * an automatic index, an opcode this file does not know, or a parameter it cannot place: the answer is
 * "needs reference rows", which is what every statement got before. Wrong in the safe direction only.
 */
import type Database from 'better-sqlite3';

interface Op {
  readonly opcode: string;
  readonly p1: number;
  readonly p2: number;
  readonly p3: number;
  readonly p4: unknown;
  readonly p5: number;
}

/** Where an instruction goes next: p2 on a condition, always p2, into subroutine/coroutine returns, nowhere. */
type Flow = 'next' | 'cond' | 'goto' | 'dynamic' | 'halt' | 'jump3' | 'gosub';

/** Registers an instruction may write, as an inclusive range, or none. */
type Writes = (op: Op) => readonly [number, number] | null;

const none: Writes = () => null;
const p1: Writes = (o) => [o.p1, o.p1];
const p2: Writes = (o) => [o.p2, o.p2];
const p3: Writes = (o) => [o.p3, o.p3];

interface OpInfo { readonly flow: Flow; readonly writes: Writes; readonly cursor?: boolean }

// The opcodes a query compiles to (SQLite 3.4x-3.5x). Cursor ops take their cursor in p1.
const OPS: Record<string, OpInfo> = {
  Init: { flow: 'goto', writes: none }, Goto: { flow: 'goto', writes: none }, Halt: { flow: 'halt', writes: none },
  Transaction: { flow: 'next', writes: none }, TableLock: { flow: 'next', writes: none }, Noop: { flow: 'next', writes: none },
  Explain: { flow: 'next', writes: none }, Trace: { flow: 'next', writes: none }, Expire: { flow: 'next', writes: none },
  Once: { flow: 'cond', writes: none }, If: { flow: 'cond', writes: none }, IfNot: { flow: 'cond', writes: none },
  IsNull: { flow: 'cond', writes: none }, NotNull: { flow: 'cond', writes: none }, IsType: { flow: 'cond', writes: none },
  Eq: { flow: 'cond', writes: none }, Ne: { flow: 'cond', writes: none }, Lt: { flow: 'cond', writes: none },
  Le: { flow: 'cond', writes: none }, Gt: { flow: 'cond', writes: none }, Ge: { flow: 'cond', writes: none },
  ElseEq: { flow: 'cond', writes: none }, Compare: { flow: 'next', writes: none }, Permutation: { flow: 'next', writes: none },
  Jump: { flow: 'jump3', writes: none }, Filter: { flow: 'cond', writes: none },
  IfPos: { flow: 'cond', writes: p1 }, IfNotZero: { flow: 'cond', writes: p1 }, DecrJumpZero: { flow: 'cond', writes: p1 },
  MustBeInt: { flow: 'cond', writes: p1 },
  Gosub: { flow: 'gosub', writes: p1 }, Return: { flow: 'dynamic', writes: none }, BeginSubrtn: { flow: 'next', writes: p2 },
  InitCoroutine: { flow: 'cond', writes: p1 }, Yield: { flow: 'dynamic', writes: p1 }, EndCoroutine: { flow: 'dynamic', writes: none },
  Variable: { flow: 'next', writes: p2 }, Integer: { flow: 'next', writes: p2 }, Int64: { flow: 'next', writes: p2 },
  Real: { flow: 'next', writes: p2 }, String8: { flow: 'next', writes: p2 }, String: { flow: 'next', writes: p2 },
  Blob: { flow: 'next', writes: p2 }, SoftNull: { flow: 'next', writes: p1 },
  Null: { flow: 'next', writes: (o) => [o.p2, Math.max(o.p2, o.p3)] },
  Copy: { flow: 'next', writes: (o) => [o.p2, o.p2 + Math.max(0, o.p3)] }, SCopy: { flow: 'next', writes: p2 },
  IntCopy: { flow: 'next', writes: p2 }, Move: { flow: 'next', writes: (o) => [o.p2, o.p2 + Math.max(0, o.p3 - 1)] },
  Function: { flow: 'next', writes: p3 }, PureFunc: { flow: 'next', writes: p3 },
  AggStep: { flow: 'next', writes: p3 }, AggStep1: { flow: 'next', writes: p3 }, AggInverse: { flow: 'next', writes: p3 },
  AggFinal: { flow: 'next', writes: p1 }, AggValue: { flow: 'next', writes: p3 },
  Add: { flow: 'next', writes: p3 }, Subtract: { flow: 'next', writes: p3 }, Multiply: { flow: 'next', writes: p3 },
  Divide: { flow: 'next', writes: p3 }, Remainder: { flow: 'next', writes: p3 }, Concat: { flow: 'next', writes: p3 },
  BitAnd: { flow: 'next', writes: p3 }, BitOr: { flow: 'next', writes: p3 }, ShiftLeft: { flow: 'next', writes: p3 },
  ShiftRight: { flow: 'next', writes: p3 }, And: { flow: 'next', writes: p3 }, Or: { flow: 'next', writes: p3 },
  Not: { flow: 'next', writes: p2 }, BitNot: { flow: 'next', writes: p2 }, IsTrue: { flow: 'next', writes: p2 },
  ZeroOrNull: { flow: 'next', writes: p2 }, Cast: { flow: 'next', writes: p1 }, RealAffinity: { flow: 'next', writes: p1 },
  AddImm: { flow: 'next', writes: p1 }, MemMax: { flow: 'next', writes: p1 }, OffsetLimit: { flow: 'next', writes: p2 },
  CollSeq: { flow: 'next', writes: (o) => (o.p1 > 0 ? [o.p1, o.p1] : null) },
  // Affinity is handled apart (a TEXT affinity keeps the ticker); here it stands for "writes p1..p1+p2-1".
  Affinity: { flow: 'next', writes: (o) => [o.p1, o.p1 + Math.max(0, o.p2 - 1)] },
  MakeRecord: { flow: 'next', writes: p3 }, ResultRow: { flow: 'next', writes: none },
  FilterAdd: { flow: 'next', writes: p1 },
  // Cursor opcodes (p1 a cursor). Ephemeral tables, sorters and pseudo-tables hold copies of values, never
  // `ohlcv_data` cursors.
  OpenRead: { flow: 'next', writes: none, cursor: true }, ReopenIdx: { flow: 'next', writes: none, cursor: true },
  OpenEphemeral: { flow: 'next', writes: none, cursor: true }, OpenAutoindex: { flow: 'next', writes: none, cursor: true },
  OpenPseudo: { flow: 'next', writes: none, cursor: true }, SorterOpen: { flow: 'next', writes: none, cursor: true },
  OpenDup: { flow: 'next', writes: none, cursor: true }, Close: { flow: 'next', writes: none, cursor: true },
  ColumnsUsed: { flow: 'next', writes: none, cursor: true }, CursorHint: { flow: 'next', writes: none, cursor: true },
  NullRow: { flow: 'next', writes: none, cursor: true }, FinishSeek: { flow: 'next', writes: none, cursor: true },
  SeekGE: { flow: 'cond', writes: none, cursor: true }, SeekGT: { flow: 'cond', writes: none, cursor: true },
  SeekLE: { flow: 'cond', writes: none, cursor: true }, SeekLT: { flow: 'cond', writes: none, cursor: true },
  IdxGE: { flow: 'cond', writes: none, cursor: true }, IdxGT: { flow: 'cond', writes: none, cursor: true },
  IdxLE: { flow: 'cond', writes: none, cursor: true }, IdxLT: { flow: 'cond', writes: none, cursor: true },
  Next: { flow: 'cond', writes: none, cursor: true }, Prev: { flow: 'cond', writes: none, cursor: true },
  Rewind: { flow: 'cond', writes: none, cursor: true }, Last: { flow: 'cond', writes: none, cursor: true },
  SeekRowid: { flow: 'cond', writes: none, cursor: true }, NotExists: { flow: 'cond', writes: none, cursor: true },
  Found: { flow: 'cond', writes: none, cursor: true }, NotFound: { flow: 'cond', writes: none, cursor: true },
  NoConflict: { flow: 'cond', writes: none, cursor: true }, IfNoHope: { flow: 'cond', writes: none, cursor: true },
  IfNullRow: { flow: 'cond', writes: p3, cursor: true }, SeekHit: { flow: 'next', writes: none, cursor: true },
  Column: { flow: 'next', writes: p3, cursor: true }, Rowid: { flow: 'next', writes: p2, cursor: true },
  IdxRowid: { flow: 'next', writes: p2, cursor: true }, DeferredSeek: { flow: 'next', writes: none, cursor: true },
  Count: { flow: 'next', writes: p2, cursor: true }, Sequence: { flow: 'next', writes: p2, cursor: true },
  SequenceTest: { flow: 'cond', writes: none, cursor: true }, RowData: { flow: 'next', writes: p2, cursor: true },
  NewRowid: { flow: 'next', writes: p2, cursor: true }, Insert: { flow: 'next', writes: none, cursor: true },
  IdxInsert: { flow: 'next', writes: none, cursor: true }, SorterInsert: { flow: 'next', writes: none, cursor: true },
  SorterSort: { flow: 'cond', writes: none, cursor: true }, Sort: { flow: 'cond', writes: none, cursor: true },
  SorterNext: { flow: 'cond', writes: none, cursor: true }, SorterData: { flow: 'next', writes: p2, cursor: true },
  SorterCompare: { flow: 'cond', writes: none, cursor: true }, ResetSorter: { flow: 'next', writes: none, cursor: true },
  IfEmpty: { flow: 'cond', writes: none, cursor: true },
};

/** What an `ohlcv_data` cursor may do, by opcode; reads need the cursor pinned to `:ticker` on both sides. */
const INDEX_OPS = new Set(['OpenRead', 'ReopenIdx', 'Close', 'ColumnsUsed', 'CursorHint', 'NullRow', 'SeekHit',
  'SeekGE', 'SeekGT', 'SeekLE', 'SeekLT', 'IdxGE', 'IdxGT', 'IdxLE', 'IdxLT', 'Next', 'Prev', 'Column', 'DeferredSeek']);
const TABLE_OPS = new Set(['OpenRead', 'Close', 'ColumnsUsed', 'CursorHint', 'NullRow', 'FinishSeek', 'Column']);

/** Per instruction: registers known to hold `:ticker`, and the ohlcv cursors pinned from below / above. */
interface State { regs: Set<number>; low: Set<number>; high: Set<number> }

function meet(a: State, b: State): State {
  const and = (x: Set<number>, y: Set<number>) => new Set([...x].filter((v) => y.has(v)));
  return { regs: and(a.regs, b.regs), low: and(a.low, b.low), high: and(a.high, b.high) };
}

function same(a: State, b: State): boolean {
  return a.regs.size === b.regs.size && a.low.size === b.low.size && a.high.size === b.high.size;
}

/**
 * True when `sql` (a statement on `db`, a day database with `ohlcv_data` and `daily_bars`) may read rows of
 * tickers other than the one bound to `:ticker`.
 */
export function mayReadOtherTickers(db: Database.Database, sql: string): boolean {
  try {
    return !provesOwnTickerOnly(db, sql);
  } catch {
    return true;
  }
}

function provesOwnTickerOnly(db: Database.Database, sql: string): boolean {
  const roots = db.prepare("SELECT name, type, rootpage FROM sqlite_schema WHERE tbl_name IN ('ohlcv_data', 'daily_bars')").all() as
    { name: string; type: string; rootpage: number }[];
  const tableRoot = roots.find((r) => r.name === 'ohlcv_data')?.rootpage;
  const dailyRoot = roots.find((r) => r.name === 'daily_bars')?.rootpage;
  // The indexes whose first column is ticker: the UNIQUE (ticker, timestamp, timeframe) one, and the day database's ohlcv_data_rows.
  const indexRoots = new Set(roots.filter((r) => r.type === 'index' && (db.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').pluck().get(r.name)) === 'ticker')
    .map((r) => r.rootpage));
  const otherOhlcvRoots = new Set(roots.filter((r) => r.type === 'index' && !indexRoots.has(r.rootpage) && r.name !== 'daily_bars').map((r) => r.rootpage));
  const { program, names } = explain(db, sql);
  const tickerParam = names.indexOf('ticker') + 1;
  if (tickerParam === 0) return false;

  const indexCursors = new Set<number>();
  const tableCursors = new Set<number>();
  for (const op of program) {
    const info = OPS[op.opcode];
    if (!info) return false;
    if (op.opcode === 'Variable' && (op.p1 < 1 || op.p1 > names.length)) return false;
    // SQLite plans LIKE and GLOB on a bound pattern again once the value is bound (the LIKE optimisation):
    // the program run could then differ from the one read here.
    if ((op.opcode === 'Function' || op.opcode === 'PureFunc') && /^(like|glob)\(/i.test(String(op.p4))) return false;
    if (op.opcode === 'OpenRead' || op.opcode === 'ReopenIdx' || op.opcode === 'OpenWrite') {
      if (op.p5 & 0x10) return false; // root page in a register: cannot tell which b-tree
      if (op.p2 === dailyRoot || otherOhlcvRoots.has(op.p2)) return false;
      if (op.p2 === tableRoot) tableCursors.add(op.p1);
      else if (indexRoots.has(op.p2)) indexCursors.add(op.p1);
    }
  }
  for (const op of program) {
    if (!OPS[op.opcode].cursor) continue;
    if (indexCursors.has(op.p1) && !INDEX_OPS.has(op.opcode)) return false;
    if (tableCursors.has(op.p1) && !TABLE_OPS.has(op.opcode)) return false;
    if (op.opcode === 'DeferredSeek' && tableCursors.has(op.p3) && !indexCursors.has(op.p1)) return false;
    if (op.opcode === 'OpenDup' && (indexCursors.has(op.p2) || tableCursors.has(op.p2))) return false;
  }
  if (indexCursors.size === 0 && tableCursors.size === 0) return true;

  // Where a Return, Yield or EndCoroutine may land, by the register that holds the address: after any Gosub
  // saving into it; a coroutine's entry or after any Yield on it; the exit (p2) of any Yield on it.
  const landing = (reg: number, ops: readonly string[]): number[] => {
    const out: number[] = [];
    program.forEach((o, pc) => {
      if (o.p1 !== reg) return;
      if (ops.includes('Gosub') && o.opcode === 'Gosub') out.push(pc + 1);
      if (ops.includes('Yield') && o.opcode === 'Yield') out.push(pc + 1);
      if (ops.includes('InitCoroutine') && o.opcode === 'InitCoroutine' && o.p3 > 0) out.push(o.p3);
      if (ops.includes('exit') && o.opcode === 'Yield') out.push(o.p2);
    });
    return out;
  };
  // Those are all the landings only if nothing else writes an address register.
  const addressRegs = new Set(program.filter((o) => OPS[o.opcode].flow === 'dynamic').map((o) => o.p1));
  for (const o of program) {
    if (['Gosub', 'Yield', 'InitCoroutine', 'Return', 'EndCoroutine'].includes(o.opcode)) continue;
    const w = o.opcode === 'BeginSubrtn' ? null : OPS[o.opcode].writes(o);
    if (w && [...addressRegs].some((r) => r >= w[0] && r <= w[1])) return false;
  }
  const successors = (op: Op, pc: number): number[] => {
    switch (OPS[op.opcode].flow) {
      case 'next': return [pc + 1];
      case 'cond': return [pc + 1, op.p2];
      case 'goto': return [op.p2];
      case 'gosub': return [op.p2, pc + 1];
      case 'jump3': return [op.p1, op.p2, op.p3];
      case 'halt': return [];
      case 'dynamic':
        // Return with p3 set falls through when its register holds no address.
        if (op.opcode === 'Return') return [pc + 1, ...landing(op.p1, ['Gosub'])];
        if (op.opcode === 'Yield') return [pc + 1, ...landing(op.p1, ['Yield', 'InitCoroutine'])];
        return landing(op.p1, ['exit']);
    }
  };

  const states: (State | undefined)[] = new Array(program.length);
  states[0] = { regs: new Set(), low: new Set(), high: new Set() };
  const work = [0];
  while (work.length > 0) {
    const pc = work.pop()!;
    const op = program[pc];
    const out = transfer(op, states[pc]!, tickerParam);
    for (const next of successors(op, pc)) {
      if (next < 0 || next >= program.length) continue;
      const prev = states[next];
      const merged = prev ? meet(prev, out) : out;
      if (!prev || !same(prev, merged)) {
        states[next] = merged;
        work.push(next);
      }
    }
  }

  for (let pc = 0; pc < program.length; pc++) {
    const op = program[pc];
    const s = states[pc];
    if (!s) continue; // unreachable
    const reads = op.opcode === 'Column' || op.opcode === 'DeferredSeek';
    if (reads && (indexCursors.has(op.p1) || tableCursors.has(op.p1)) && !(s.low.has(op.p1) && s.high.has(op.p1))) return false;
    if (!indexCursors.has(op.p1)) continue;
    // Every comparison the program makes on the index is against a key that starts with :ticker ...
    if (/^(Seek|Idx)(GE|GT|LE|LT)$/.test(op.opcode) && !s.regs.has(op.p3)) return false;
    // ... and where a row of another ticker ends a range, the program goes where running off the end of the
    // index takes it: then whether such rows exist cannot change what it does.
    if (!endsLikeEof(program, pc)) return false;
  }
  return true;
}

/**
 * A seek on the index lands on the first row past its key, of any ticker, or off the end (jump to p2). The
 * bound check that follows (after only the instructions that build its key) must leave to the same p2, so
 * "a row of a later ticker" and "no row" go the same way. A Next (Prev) lands on the next row or falls through
 * at the end: it must jump straight to a bound check that leaves to its fall-through.
 */
function endsLikeEof(program: readonly Op[], pc: number): boolean {
  const op = program[pc];
  const forward = op.opcode === 'SeekGE' || op.opcode === 'SeekGT' || op.opcode === 'Next';
  const checks = forward ? ['IdxGT', 'IdxGE'] : ['IdxLT', 'IdxLE'];
  if (op.opcode === 'Next' || op.opcode === 'Prev') {
    const check = program[op.p2];
    return check !== undefined && checks.includes(check.opcode) && check.p1 === op.p1 && check.p2 === pc + 1;
  }
  if (!/^Seek(GE|GT|LE|LT)$/.test(op.opcode)) return true;
  const written: number[] = [];
  for (let i = pc + 1; i < program.length; i++) {
    const next = program[i];
    const info = OPS[next.opcode];
    if (info.cursor) {
      if (next.p1 !== op.p1 || !checks.includes(next.opcode) || next.p2 !== op.p2) return false;
      // What runs between builds the check's key (the loop's own key registers, rebuilt at each entry).
      return written.every((r) => r >= next.p3 && r < next.p3 + Number(next.p4));
    }
    if (info.flow !== 'next' && !(info.flow === 'cond' && next.p2 === op.p2)) return false;
    const w = info.writes(next);
    if (w) for (let r = w[0]; r <= w[1]; r++) written.push(r);
  }
  return false;
}

function transfer(op: Op, s: State, tickerParam: number): State {
  const regs = new Set(s.regs);
  const low = new Set(s.low);
  const high = new Set(s.high);
  const c = op.p1;
  const keyIsTicker = s.regs.has(op.p3) && Number(op.p4) >= 1;
  switch (op.opcode) {
    case 'SeekGE': case 'SeekGT':
      high.delete(c);
      if (keyIsTicker) low.add(c); else low.delete(c);
      break;
    case 'SeekLE': case 'SeekLT':
      low.delete(c);
      if (keyIsTicker) high.add(c); else high.delete(c);
      break;
    // The fall-through of a bound check: the row is not past the key (the jump leaves the loop).
    case 'IdxGT': case 'IdxGE': if (keyIsTicker) high.add(c); break;
    case 'IdxLT': case 'IdxLE': if (keyIsTicker) low.add(c); break;
    case 'Next': high.delete(c); break;
    case 'Prev': low.delete(c); break;
    case 'NullRow': low.add(c); high.add(c); break;
    case 'DeferredSeek':
      if (low.has(c)) low.add(op.p3); else low.delete(op.p3);
      if (high.has(c)) high.add(op.p3); else high.delete(op.p3);
      break;
    case 'OpenRead': case 'ReopenIdx': case 'Close': case 'Rewind': case 'Last':
      low.delete(c); high.delete(c);
      break;
  }
  if (op.opcode === 'Affinity') {
    const aff = String(op.p4 ?? '');
    for (let i = 0; i < op.p2; i++) if (aff[i] !== 'A' && aff[i] !== 'B') regs.delete(op.p1 + i);
  } else {
    const w = OPS[op.opcode].writes(op);
    if (w) for (let r = w[0]; r <= w[1]; r++) regs.delete(r);
    // Comparisons that store their result (SQLITE_STOREP2) write p2.
    if (['Eq', 'Ne', 'Lt', 'Le', 'Gt', 'Ge'].includes(op.opcode) && (op.p5 & 0x20)) regs.delete(op.p2);
    if (op.opcode === 'Variable' && op.p1 === tickerParam) regs.add(op.p2);
  }
  return { regs, low, high };
}

/**
 * The statement's program and its named parameters in SQLite's numbering. better-sqlite3 names the first
 * missing parameter in index order, so binding them one by one reads the numbering off SQLite itself.
 */
function explain(db: Database.Database, sql: string): { program: Op[]; names: string[] } {
  const stmt = db.prepare(`EXPLAIN ${sql}`);
  const names: string[] = [];
  const bind: Record<string, null> = {};
  for (;;) {
    try {
      const program = (stmt.all(bind) as Record<string, unknown>[]).map((r) => ({
        opcode: String(r.opcode), p1: Number(r.p1), p2: Number(r.p2), p3: Number(r.p3), p4: r.p4, p5: Number(r.p5),
      }));
      return { program, names };
    } catch (err) {
      const missing = /^Missing named parameter "(.+)"$/.exec((err as Error).message)?.[1];
      if (missing === undefined || missing in bind) throw err;
      names.push(missing);
      bind[missing] = null;
    }
  }
}
