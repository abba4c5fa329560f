/**
 * Fault catalogue, the progress bar off a terminal (docs/reliability.md, "Terminal"): asked for with
 * `--progress` while stderr is a pipe, it draws nothing, so a log of the run holds its lines and no control
 * characters. The bar on a terminal is tested in test/integration/terminal.test.ts (tmux) and on a fake
 * terminal screen in test/unit/cli/progress-line.test.ts.
 */
import { expect } from 'chai';
import { expectClean, faultFixture, storeDays, useFaultStore } from './harness.js';

describe('faults: progress view', function () {
  const store = useFaultStore(() => storeDays(['AAA', 'BBB'], ['2025-10-30', '2025-10-31', '2025-11-03'], 20));

  it('--progress into a pipe: no bar and no control characters on stderr, the run as usual (exit 0)', async () => {
    const r = await store.backtest(['--scanner', faultFixture('slow.ts'), '--threads', '2', '--progress']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.not.match(/[\x1b\r█░]|ticker-days \|/);
    expect(r.stderr).to.match(/barwise: run #\d+ \(completed\) is recorded in /);
    expectClean(r);
  });
});
