/**
 * Checks a script scanner can start before any ticker-day runs it, so a mistake in the file is said once,
 * in full, with its line, instead of as one cut-off failure per ticker-day. Nothing here writes next to the
 * user's file: Python is compiled in memory (`compile()`, no `__pycache__`), JavaScript with `node --check`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BarwiseError } from '../../errors.js';

const CHECK_TIMEOUT_MS = 20_000;

// Prints the first syntax error as JSON and exits 3; -I ignores the user's environment, -B writes no bytecode.
const PY_COMPILE = `
import json, sys, traceback
path = sys.argv[1]
try:
    with open(path, 'rb') as f:
        compile(f.read(), path, 'exec', dont_inherit=True)
except SyntaxError as e:
    print(json.dumps({'line': e.lineno, 'msg': e.msg, 'text': ''.join(traceback.format_exception_only(type(e), e))}))
    sys.exit(3)
except (ValueError, UnicodeDecodeError) as e:
    print(json.dumps({'line': None, 'msg': str(e), 'text': str(e)}))
    sys.exit(3)
`;

/** Refuses a script whose source does not compile, naming FILE:LINE and showing the compiler's whole message. */
export function checkScriptSyntax(file: string): void {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.py') checkPython(file);
  else if (ext === '.js' || ext === '.cjs' || ext === '.mjs') checkJavaScript(file);
}

function checkPython(file: string): void {
  const r = spawnSync('python3', ['-I', '-B', '-c', PY_COMPILE, file], { encoding: 'utf8', timeout: CHECK_TIMEOUT_MS });
  if (r.error || r.status === null) return; // no verdict (python3 missing is said elsewhere): the run says what fails
  if (r.status !== 3) return;
  let found: { line: number | null; msg: string; text: string };
  try {
    found = JSON.parse(r.stdout.trim().split('\n').pop()!);
  } catch {
    return;
  }
  const where = found.line ? `${file}:${found.line}` : file;
  throw new BarwiseError('SCANNER_LOAD', `cannot load scanner ${where}: Python syntax error: ${found.msg}\n${indent(found.text.trimEnd())}`,
    `Fix ${found.line ? `line ${found.line} of ` : ''}${file} and run again; \`python3 ${file}\` shows the same error.`);
}

function checkJavaScript(file: string): void {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: CHECK_TIMEOUT_MS });
  if (r.error || r.status === null || r.status === 0) return;
  // node prints "FILE:LINE", the line, a caret, a blank line, then "SyntaxError: …" and a stack.
  const lines = r.stderr.split('\n');
  const at = lines.find((l) => l.startsWith(`${path.resolve(file)}:`) || l.startsWith(`${file}:`));
  const line = at ? Number(at.slice(at.lastIndexOf(':') + 1)) : NaN;
  const errorLine = lines.find((l) => /^\w*Error: /.test(l)) ?? lines.find((l) => l.trim() !== '') ?? 'syntax error';
  const shown = lines.slice(0, lines.indexOf(errorLine) + 1).filter((l) => l.trim() !== '').join('\n');
  throw new BarwiseError('SCANNER_LOAD', `cannot load scanner ${Number.isInteger(line) ? `${file}:${line}` : file}: ${errorLine}\n${indent(shown)}`,
    `Fix ${file} and run again; \`node --check ${file}\` shows the same error.`);
}

/**
 * A file run directly (no known extension) must be executable, and its `#!` line must name an interpreter
 * that exists; otherwise every step fails with "spawn … ENOENT", which blames the script file itself.
 */
export function checkDirectScript(file: string): void {
  const first = readFirstLine(file);
  const shebang = first.startsWith('#!') ? first : null;
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    if (shebang) {
      throw new BarwiseError('SCANNER_KIND', `script ${file} starts with ${shebang.trim()} but is not executable (it lacks the execute permission)`,
        `Make it executable: chmod +x ${file}`);
    }
    throw new BarwiseError('SCANNER_KIND', `script ${file} is not executable and has no extension barwise runs itself (.ts, .js, .py)`,
      `Make it executable (chmod +x ${file}) with a #! line such as #!/bin/sh, or name it .ts, .js or .py.`);
  }
  if (!shebang) return; // run through /bin/sh, as a shell would
  if (shebang.endsWith('\r')) {
    throw new BarwiseError('SCANNER_LOAD', `script ${file}: its #! line ends with a Windows line end (CR), so the system looks for an interpreter named "${shebang.slice(2).trim()}\\r"`,
      `Convert the file to Unix line ends: dos2unix ${file} (or sed -i 's/\\r$//' ${file}).`);
  }
  const [interpreter, ...args] = shebang.slice(2).trim().split(/\s+/);
  if (!isExecutable(interpreter)) {
    throw new BarwiseError('SCANNER_LOAD', `script ${file}: its #! line names ${interpreter}, which ${fs.existsSync(interpreter) ? 'is not executable' : 'does not exist'}`,
      `Fix the #! line (e.g. #!/usr/bin/env python3), or install the interpreter.`);
  }
  if (path.basename(interpreter) === 'env') {
    const program = args.find((a) => !a.startsWith('-'));
    if (program && !program.includes('=') && !onPath(program)) {
      throw new BarwiseError('SCANNER_LOAD', `script ${file}: its #! line runs ${program}, which is not on the PATH`,
        `Install ${program}, or fix the #! line to name an interpreter that is installed (e.g. #!/usr/bin/env python3).`);
    }
  }
}

function readFirstLine(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('latin1');
    const end = text.indexOf('\n');
    return end < 0 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(program: string): boolean {
  if (program.includes('/')) return isExecutable(program);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutable(path.join(dir, program)));
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
