import { expect } from 'chai';
import { suggestForUnknown } from '../../../src/cli/suggest-typo.js';

describe('did-you-mean for unknown commands and flags', () => {
  const commands = ['backtest', 'audit', 'sweep', 'import', 'runs'];
  const flags = ['scanner', 'db', 'tickers', 'from', 'to', 'threads', 'stop-pct', 'help'];

  it('names the closest command when none was named', () => {
    expect(suggestForUnknown('Unknown argument: backtset', { commands, flags, commandNamed: false }))
      .to.equal('Unknown argument: backtset; did you mean backtest?');
  });

  it('names the closest flag of the command, once per typo even when yargs adds its camelCase spelling', () => {
    expect(suggestForUnknown('Unknown arguments: stop-pc, stopPc', { commands, flags, commandNamed: true }))
      .to.equal('Unknown argument: stop-pc; did you mean --stop-pct?');
    expect(suggestForUnknown('Unknown arguments: tickres, frm', { commands, flags, commandNamed: true }))
      .to.equal('Unknown arguments: tickres, frm; did you mean --tickres → --tickers, --frm → --from?');
  });

  it('suggests nothing for a word near no command or flag, and leaves other messages alone', () => {
    expect(suggestForUnknown('Unknown argument: 2025', { commands, flags, commandNamed: true })).to.equal('Unknown argument: 2025');
    expect(suggestForUnknown('Missing required argument: csv', { commands, flags, commandNamed: true })).to.equal('Missing required argument: csv');
  });
});
