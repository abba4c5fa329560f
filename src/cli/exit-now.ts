/**
 * Ends the process with an exit code even while a worker thread is stuck in a native call. `process.exit()`
 * cannot: Node joins every worker thread before the process ends, and a thread inside an SQLite query that
 * never returns is never joined (better-sqlite3 has no sqlite3_interrupt), so a cron job would hang forever.
 * WASI's `proc_exit` ends the process at the C level (exit(3)) without that join, with the code given.
 * Only for after everything is written: 'exit' listeners do not run.
 */
import { createRequire } from 'node:module';
import type { WASI as WasiClass } from 'node:wasi';

const require = createRequire(import.meta.url);

/** The smallest WASI program: `_start` calls proc_exit with the 32-bit integer at address 0 of its memory. */
function buildExitModule(): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...Buffer.from(s)];
  const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]), // types: (i32) -> (), () -> ()
    ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('proc_exit'), 0x00, 0]), // import func, type 0
    ...section(3, [1, 1]), // one function of type 1
    ...section(5, [1, 0x00, 1]), // one memory of one page
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('_start'), 0x00, 1]),
    ...section(10, [1, 9, 0, 0x41, 0, 0x28, 2, 0, 0x10, 0, 0x0b]), // i32.const 0; i32.load; call proc_exit
  ]);
}

export function exitNow(code: number): never {
  // Loaded synchronously and started at once, so WASI's "experimental" warning (emitted on a later tick) is
  // never printed.
  const { WASI } = require('node:wasi') as { WASI: typeof WasiClass };
  try {
    const wasi = new WASI({ version: 'preview1', returnOnExit: false });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(buildExitModule()), wasi.getImportObject() as WebAssembly.Imports);
    new Int32Array((instance.exports.memory as WebAssembly.Memory).buffer)[0] = code;
    wasi.start(instance);
  } catch (err) {
    // No WASI here: the code is lost, but the process must not hang.
    process.stderr.write(`barwise: cannot exit with code ${code} (${(err as Error).message}); killing the process\n`);
  }
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

/**
 * Quits at once on a second Ctrl-C (or SIGTERM): the 'exit' listeners still run (they kill the run's child
 * processes and remove its temp directory), then the process dies of the signal itself, as an unhandled one
 * would; the shell reports 130 or 143. No thread is joined, busy or stuck, and nothing is torn down under
 * a worker still running JavaScript (exiting through the C library there can crash).
 */
export function quitBySignal(signal: 'SIGINT' | 'SIGTERM'): never {
  process.exitCode = signal === 'SIGINT' ? 130 : 143;
  process.emit('exit', process.exitCode);
  // With no listener left Node restores the default action, which ends the process.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  return exitNow(process.exitCode);
}
