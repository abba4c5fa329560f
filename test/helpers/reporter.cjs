// mocha's spec reporter, plus the plain closing line CI reads: "N passed, N failed, N skipped".
const Spec = require('mocha').reporters.Spec;

class SpecWithTotals extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats;
      process.stdout.write(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SpecWithTotals;
