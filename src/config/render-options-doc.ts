/**
 * docs/options.md from the option table: one row per option, with its name in each place it can be set.
 * Generated (`npm run docs:options`); a test fails when the committed file differs.
 */
import { OPTION_ROWS, type OptionRow } from './options.js';

export function renderOptionsDoc(): string {
  const lines = [
    '# Options',
    '',
    '<!-- Generated from src/config/options.ts by `npm run docs:options`; edit the table there, not this file. -->',
    '',
    'Every option of a run, declared once in `src/config/options.ts`. The same option is spelled three ways:',
    'as a flag on the CLI (`--threads`), as a key of the options object in the library (`options.threads`), and',
    'as a key of a job\'s `options` in a batch file (`jobs[2].options.threads`); error messages use the spelling',
    'of the place it was given. Unknown keys are refused everywhere, naming the closest valid one.',
    '',
    '**Identity**: *yes* if the option can change what a run finds. Those options are part of the run plan\'s hash',
    '(the run\'s identity, `runs.plan_hash`), and `--resume` refuses a continuation that changes one. Speed-only',
    'options (*no*) may differ between a run and its continuation.',
    '',
  ];
  const sections: [OptionRow['section'], string, string][] = [
    ['run', 'Run options', 'Library: `runBacktest({ … })`. Batch: a job\'s `options` (or the batch\'s `defaults`) where the batch column says so; scanner, universe, range and db are the job\'s own fields.'],
    ['trade', 'Trade rules', 'Library and batch: keys of `trade` (`options.trade.stopPct`). CLI: any of these flags turns trading on (docs/trades.md).'],
    ['output', 'CLI output', 'Flags of the CLI only.'],
    ['audit', 'Audit', 'The own options of `barwise audit` (library: `runAudit({ … })`), besides the run options it shares with backtest.'],
    ['sweep', 'Sweep', 'The own options of `barwise sweep` (library: `runSweep({ … })`, docs/sweeps.md), besides the run options and trade rules it shares with backtest. Batch: keys of a job\'s `sweep` (`jobs[2].sweep.grid`) where the batch column says so; the job\'s `options` apply to every combination.'],
    ['worker', 'Worker', 'The flags of `barwise worker`, which runs the shards of `--queue` runs on this machine, and of `barwise workers`, which lists the workers connected to a queue (docs/cluster.md).'],
    ['batch', 'Batch commands', 'The own flags of `barwise batch` and `barwise schedule`; each job\'s run takes the run options of its batch file.'],
  ];
  for (const [section, title, intro] of sections) {
    lines.push(`## ${title}`, '', intro, '', '| CLI flag | Library key | Type | Default | Identity | Commands | Batch | Description |', '|---|---|---|---|---|---|---|---|');
    for (const r of OPTION_ROWS.filter((x) => x.section === section)) {
      const key = r.key === null ? '' : `\`${section === 'trade' ? `trade.${r.key}` : r.key}\``;
      const commands = [...r.commands, ...Object.keys(r.refusedBy ?? {}).map((c) => `~~${c}~~`)].join(', ');
      lines.push(`| ${r.flag ? `\`--${r.flag}\`` : ''} | ${key} | ${describeType(r)} | ${describeDefault(r)} | ${r.identity ? 'yes' : 'no'} | ${commands} | ${r.batch ? 'yes' : 'no'} | ${r.describe.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  lines.push('Commands struck through refuse the flag with a reason (e.g. `audit --resume`: the audit always runs both modes afresh).', '');
  return lines.join('\n');
}

function describeType(r: OptionRow): string {
  switch (r.type) {
    case 'integer': return `whole number, ${r.min ?? 0} to ${r.max === Number.MAX_SAFE_INTEGER ? 'any' : r.max}`;
    case 'number': {
      const parts = [r.min !== undefined ? `≥ ${r.min}` : '', r.above !== undefined ? `> ${r.above}` : '', r.below !== undefined ? `< ${r.below}` : ''].filter(Boolean);
      return `number${parts.length ? `, ${parts.join(', ')}` : ''}${r.units ? ` (${r.units})` : ''}`;
    }
    case 'choice': return r.choices!.map((c) => `\`${c}\``).join(' \\| ');
    case 'list': return 'list of tickers';
    case 'rules': return 'trade rules (object; boolean on the CLI)';
    case 'params': return 'NAME=VALUE, repeatable (object in the library)';
    case 'date': return 'YYYY-MM-DD';
    case 'time': return 'HH:MM';
    default: return r.type;
  }
}

function describeDefault(r: OptionRow): string {
  if (r.defaultText) return r.defaultText;
  if (r.defaultValue === undefined) return '';
  return `\`${r.defaultValue}\``;
}
