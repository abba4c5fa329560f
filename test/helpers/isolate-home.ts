/**
 * Tests never record runs in the user's own results database: before any test module loads, the per-user
 * data directory (XDG_DATA_HOME, where the default results database lives) is pointed at a fresh temp
 * directory, removed when the process ends. Loaded by .mocharc.json (`require`: in mocha's process and its
 * workers, never in the processes and threads tests start, which inherit only the variables) and by
 * test/helpers/temp.ts, so a single file run with --no-config is covered too. HOME is left alone: npm and
 * chromium in the package and report tests need their real caches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARK = 'BARWISE_TEST_DATA_HOME';

if (!process.env[MARK]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'barwise-test-data-home-'));
  process.env[MARK] = dir;
  process.env.XDG_DATA_HOME = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
// A results database the user chose for their own runs is not for tests either.
delete process.env.BARWISE_RESULTS_DB;

/** The per-user data directory of this test run (what XDG_DATA_HOME is set to). */
export const TEST_DATA_HOME = process.env[MARK]!;
