/**
 * A failing script's stderr → the few lines a failure message shows. The last lines alone are often noise
 * (`requireStack: [...] }`, `Node.js v20.20.2`) while the line that says what went wrong
 * (`Error: Cannot find module './src/database/db'`) is near the top, so the summary keeps, in this order:
 * the first error line, the first stack frame inside the script's own files (Node's innermost one; Python's
 * innermost one with its source line: Python prints frames outermost first), then the last lines, with
 * lines already shown left out and every line and the whole summary bounded.
 *
 * The stderr a step collects is kept as its head and its tail (appendStderr): a script that logs 500 lines
 * before it fails must keep both its first error and its last words.
 */
import path from 'node:path';

/** Bytes of stderr kept from the start and from the end of a step's output. */
const KEEP_HEAD = 8 * 1024;
const KEEP_TAIL = 8 * 1024;
const CUT_MARK = '\n[… stderr cut …]\n';
const TAIL_LINES = 5;
const MAX_LINE = 300;
const MAX_SUMMARY = 2000;

/** `kept` with `chunk` appended, holding at most the first KEEP_HEAD and the last KEEP_TAIL characters. */
export function appendStderr(kept: string, chunk: string): string {
  const cut = kept.indexOf(CUT_MARK);
  if (cut < 0) {
    const all = kept + chunk;
    if (all.length <= KEEP_HEAD + KEEP_TAIL) return all;
    return all.slice(0, KEEP_HEAD) + CUT_MARK + all.slice(-KEEP_TAIL);
  }
  const tail = (kept.slice(cut + CUT_MARK.length) + chunk).slice(-KEEP_TAIL);
  return kept.slice(0, cut) + CUT_MARK + tail;
}

/** An exception line: `Error: …`, `TypeError: …`, `ModuleNotFoundError: …`, `sqlite3.OperationalError: …`. */
const ERROR_LINE = /^(?:Uncaught\s+)?(?:[A-Za-z_][\w.]*)?(?:Error|Exception)(?: \[[A-Z_]+\])?(?::|$)/;
const NODE_FRAME = /^\s+at (?:.*\()?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+(?::\d+)?\)?$/;
const PYTHON_FRAME = /^\s*File "([^"]+)", line \d+/;

/**
 * The summary as the failure messages append it (`; stderr: …` on the next lines), or '' without stderr.
 * `scriptFile` (when known) decides which frames are the script's own: under its folder, not in node_modules.
 */
export function summarizeStderr(stderr: string, scriptFile?: string): string[] {
  const lines = stderr.replace(/\r/g, '').split('\n').map((l) => l.trimEnd());
  const nonEmpty = lines.filter((l) => l.trim() !== '' && l !== CUT_MARK.trim());
  if (nonEmpty.length === 0) return [];
  const own = ownFileTest(scriptFile);
  const picked: string[] = [];
  const errorAt = lines.findIndex((l) => ERROR_LINE.test(l.trim()));
  if (errorAt >= 0) picked.push(lines[errorAt].trim());
  const nodeFrame = lines.findIndex((l, i) => i > errorAt && errorAt >= 0 && own(NODE_FRAME.exec(l)?.[1]));
  if (nodeFrame >= 0) picked.push(lines[nodeFrame].trim());
  else {
    let py = -1;
    for (let i = 0; i < lines.length; i++) if (own(PYTHON_FRAME.exec(lines[i])?.[1])) py = i;
    if (py >= 0) {
      picked.push(lines[py].trim());
      const source = lines[py + 1];
      if (source && /^\s{4,}\S/.test(source) && !PYTHON_FRAME.test(source)) picked.push(`  ${source.trim()}`);
    }
  }
  const tail = nonEmpty.slice(-TAIL_LINES).filter((l) => !picked.includes(l.trim()) && !picked.includes(`  ${l.trim()}`));
  const shown = [...picked, ...(picked.length > 0 && tail.length > 0 && nonEmpty.length > picked.length + tail.length ? ['…'] : []), ...tail]
    .map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l));
  const bounded: string[] = [];
  let size = 0;
  for (const l of shown) {
    if (size + l.length > MAX_SUMMARY) {
      bounded.push('…');
      break;
    }
    bounded.push(l);
    size += l.length + 1;
  }
  return bounded;
}

/** The first error line of a script's stderr, or null: what a one-line failure shows. */
export function firstErrorLine(stderr: string): string | null {
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => ERROR_LINE.test(l));
  return line ? (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line) : null;
}

function ownFileTest(scriptFile: string | undefined): (file: string | undefined) => boolean {
  const dir = scriptFile ? path.dirname(path.resolve(scriptFile)) : null;
  return (file) => {
    if (!file) return false;
    const f = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
    if (/[\\/](node_modules|site-packages|dist-packages|lib[\\/]python\d[\d.]*)[\\/]/.test(f)) return false;
    return dir === null ? true : f === dir || f.startsWith(dir + path.sep);
  };
}
