# The warm runner for legacy Python scripts (see warm-python.ts): one long-lived interpreter that re-runs a
# run-once script per step, so a step costs the script's own work instead of an interpreter start.
#
#   python3 warm-runner.py SCRIPT      requests on fd 3, replies on fd 4, one JSON line each
#   python3 warm-runner.py --list-imports   the top-level modules this runner loads beyond a bare start
#
# Per step the script sees what `python3 SCRIPT` would give it: os.environ exactly the runner's start
# environment plus the step's variables, sys.argv [SCRIPT], sys.path[0] its own directory, an empty stdin,
# print() captured (sys.stdout), stderr kept as the step's log tail. SystemExit is the step's exit code; an
# exception is reported with its first line and the frame in the script. Afterwards nothing of the step
# survives that the script owns: the modules it imported from its own directory tree are dropped (so they
# run again, with fresh module-level state), its sqlite3 connections are closed, logging handlers and
# warning filters are put back, cycles are collected. A step that started processes or left daemon threads
# running asks to be replaced (its process group is killed, as after a process per step).
import sys

BASELINE = set(sys.modules)  # what a bare interpreter has loaded: a script's own module cannot shadow these

import gc
import io
import json
import logging
import os
import runpy
import sqlite3
import sysconfig
import threading
import traceback
import warnings

MAX_STDOUT = 16 * 1024 * 1024  # as run-script-once.ts
STDERR_TAIL = 8 * 1024


class CappedSink(io.RawIOBase):
    """Bytes written during a step: all of them up to a cap (stdout), or only the last `cap` (stderr), which
    also go on to file descriptor `tee` (so barwise sees the logs of a step that never ends)."""

    def __init__(self, cap, keep_tail, tee=None):
        super().__init__()
        self.cap = cap
        self.keep_tail = keep_tail
        self.tee = tee
        self.data = bytearray()
        self.overflow = False

    def writable(self):
        return True

    def write(self, b):
        n = len(b)
        if self.tee is not None:
            view = memoryview(b)
            while view:
                view = view[os.write(self.tee, view):]
        if self.keep_tail:
            self.data += b
            if len(self.data) > self.cap:
                del self.data[: len(self.data) - self.cap]
        elif len(self.data) + n > self.cap:
            self.overflow = True
        else:
            self.data += b
        return n

    def reset(self):
        self.data = bytearray()
        self.overflow = False


def make_text_stream(sink, like):
    """One text stream for the runner's life: a script (or logging) that kept a reference to sys.stdout in
    an earlier step still writes into the current step's capture."""
    return io.TextIOWrapper(io.BufferedWriter(sink), encoding=like.encoding, errors=like.errors,
                            line_buffering=False, write_through=True)


def is_local(module, root, shared):
    """True for a module loaded from the script's directory tree, not from an installed-packages directory
    or the standard library that happens to lie inside it (a virtualenv next to the script)."""
    files = []
    f = getattr(module, '__file__', None)
    if f:
        files.append(f)
    else:
        files.extend(getattr(module, '__path__', None) or [])  # a namespace package
    for f in files:
        real = os.path.realpath(f)
        if real.startswith(root) and not any(real.startswith(s) for s in shared) \
                and 'site-packages' not in real.split(os.sep) and 'dist-packages' not in real.split(os.sep):
            return True
    return False


def find_shared_dirs():
    out = set()
    for key in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
        p = sysconfig.get_paths().get(key)
        if p:
            out.add(os.path.realpath(p) + os.sep)
    return tuple(out)


def format_script_frame(tb, root):
    """The innermost traceback frame in the script or its local modules, as Python prints a frame."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.realpath(f.filename).startswith(root)]
    if not frames:
        return ''
    f = frames[-1]
    line = f'  File "{f.filename}", line {f.lineno}, in {f.name}'
    return line + (f'\n    {f.line.strip()}' if f.line else '')


def to_exit_code(code):
    """What a process exit status would be for SystemExit(code); a message goes to stderr as Python does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


class Tracking:
    """What a step started that must not outlive it: sqlite3 connections, child processes."""

    def __init__(self):
        self.connections = []
        self.spawned = False
        connect = sqlite3.connect

        def tracked_connect(*args, **kwargs):
            conn = connect(*args, **kwargs)
            self.connections.append(conn)
            return conn

        sqlite3.connect = tracked_connect
        sqlite3.dbapi2.connect = tracked_connect
        for name in ('fork', 'forkpty', 'system', 'posix_spawn', 'posix_spawnp'):
            if hasattr(os, name):
                setattr(os, name, self.marking(getattr(os, name)))
        try:
            import _posixsubprocess  # what subprocess.Popen starts a child with
            _posixsubprocess.fork_exec = self.marking(_posixsubprocess.fork_exec)
        except ImportError:
            pass

    def marking(self, fn):
        def spawn(*args, **kwargs):
            self.spawned = True
            return fn(*args, **kwargs)
        return spawn

    def close_connections(self):
        for conn in self.connections:
            try:
                conn.close()
            except Exception:
                pass
        self.connections = []


def snapshot_logging():
    loggers = [logging.getLogger()] + [l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)]
    return {id(l): (l, list(l.handlers), l.level) for l in loggers}


def restore_logging(before):
    """Handlers a step added go (closed, so a FileHandler's file is released); levels come back."""
    for l in [logging.getLogger()] + [l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)]:
        handlers, level = before.get(id(l), (l, [], logging.NOTSET))[1:]
        for h in l.handlers:
            if h not in handlers:
                try:
                    h.close()
                except Exception:
                    pass
        l.handlers[:] = handlers
        l.setLevel(level)


def main():
    if sys.argv[1:] == ['--list-imports']:
        print(json.dumps(sorted({m.split('.')[0] for m in set(sys.modules) - BASELINE})))
        return
    script = sys.argv[1]
    root = os.path.dirname(os.path.realpath(script))
    if not getattr(sys.flags, 'safe_path', False):  # -P / PYTHONSAFEPATH (3.11+): no script directory at all
        sys.path[0] = root  # as `python3 SCRIPT` puts it; the runner's own directory is not the script's
    requests = os.fdopen(3, 'rb')
    replies = os.fdopen(4, 'wb', buffering=0)
    os.set_inheritable(3, False)
    os.set_inheritable(4, False)
    # Whatever writes to file descriptor 1 directly (not through sys.stdout) is a log, never the step's output.
    os.dup2(2, 1)

    out_sink = CappedSink(MAX_STDOUT, keep_tail=False)
    err_sink = CappedSink(STDERR_TAIL, keep_tail=True, tee=2)
    stdout = make_text_stream(out_sink, sys.stdout)
    stderr = make_text_stream(err_sink, sys.stderr)
    stdin = open(os.devnull, 'r')
    base_env = dict(os.environ)
    base_path = list(sys.path)
    base_cwd = os.getcwd()
    base_warnings = list(warnings.filters)
    shared = find_shared_dirs()
    tracking = Tracking()
    gc.freeze()  # the runner's own objects: never the garbage a step leaves
    reply_line = lambda obj: replies.write((json.dumps(obj) + '\n').encode('utf-8'))
    reply_line({'ready': True})

    while True:
        line = requests.readline()
        if not line:
            return  # barwise closed the channel: done
        env = json.loads(line)['env']
        os.environ.clear()
        os.environ.update(base_env)
        os.environ.update(env)
        sys.argv[:] = [script]
        sys.path[:] = base_path
        os.chdir(base_cwd)
        out_sink.reset()
        err_sink.reset()
        if stdin.closed:
            stdin = open(os.devnull, 'r')
        sys.stdout, sys.stderr, sys.stdin = stdout, stderr, stdin
        modules = set(sys.modules)
        threads = set(threading.enumerate())
        logs = snapshot_logging()
        tracking.spawned = False
        reply = {'exit': 0}
        try:
            runpy.run_path(script, run_name='__main__')
        except SystemExit as e:
            reply['exit'] = to_exit_code(e.code)
        except BaseException as e:
            first = traceback.format_exception_only(type(e), e)[-1].strip()
            reply = {'exit': 1, 'error': first, 'frame': format_script_frame(e.__traceback__, root + os.sep)}
            e.__traceback__ = None
        # A non-daemon thread keeps a process alive until it ends, so the step waits for it as exit would.
        for t in threading.enumerate():
            if t not in threads and not t.daemon and t is not threading.current_thread():
                t.join()
        try:
            stdout.flush()
            stderr.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr, sys.stdin = sys.__stdout__, sys.__stderr__, sys.__stdin__
        for name in [m for m in sys.modules if m not in modules]:
            if is_local(sys.modules[name], root + os.sep, shared):
                del sys.modules[name]
        tracking.close_connections()
        restore_logging(logs)
        warnings.filters[:] = base_warnings
        mutated = getattr(warnings, '_filters_mutated', None)  # drops the per-module "already warned" caches
        if mutated:
            mutated()
        # Collecting cycles frees what only the script's namespace held (open files, connections); freezing
        # the survivors (modules, caches) keeps the next step's collection to that step's own objects.
        gc.collect()
        gc.freeze()
        # Daemon threads die with a process; here they would run on into later steps, as would children.
        left = [t.name for t in threading.enumerate() if t not in threads and t.is_alive()]
        if left or tracking.spawned:
            reply['restart'] = f"threads {', '.join(left)} still running" if left else 'it started a process'
        reply['stdout'] = out_sink.data.decode('utf-8', errors='replace')
        reply['overflow'] = out_sink.overflow
        reply['stderr'] = err_sink.data.decode('utf-8', errors='replace')
        reply_line(reply)


main()
