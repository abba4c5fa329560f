import { expect } from 'chai';
import { parseScriptOutput } from '../../../src/scanners/script/parse-script-output.js';

describe('script output', () => {
  it('takes the last JSON array, after log lines', () => {
    expect(parseScriptOutput('scanning AAA\n[{"direction":"LONG"}]\n')).to.deep.equal({ ok: true, signals: [{ direction: 'LONG' }] });
  });

  it('names NaN or Infinity in an otherwise good array, as Python writes them', () => {
    const r = parseScriptOutput('[{"metrics": {"r": NaN, "s": -Infinity}}]');
    expect(r.ok).to.equal(false);
    expect(!r.ok && r.reason).to.match(/^the JSON array on stdout holds NaN, which JSON does not allow .*write null instead/);
  });

  it('says "no JSON array" when there is none, even if a log line mentions NaN', () => {
    const r = parseScriptOutput('ratio was NaN, skipping\n[oops');
    expect(!r.ok && r.reason).to.match(/^no JSON array on stdout \(last output: ratio was NaN, skipping \| \[oops\)/);
  });

  it('leaves "NaN" inside a string alone', () => {
    expect(parseScriptOutput('[{"note": "NaN guard"}]')).to.deep.equal({ ok: true, signals: [{ note: 'NaN guard' }] });
  });
});
