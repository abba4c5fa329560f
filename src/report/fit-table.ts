/**
 * What the terminal shows fits it: a table wider than the terminal wraps its widest cells rather than the
 * terminal breaking every line, and a long list shows its first N lines and how many more there are.
 * Off a terminal (a pipe, a file, a log) the width is 80 columns.
 */
import type Table from 'cli-table3';

/** Columns to fit in: the terminal's, or 80 when stdout is not a terminal. */
export function readTerminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 80;
}

/** Narrowest a column is squeezed to (its padding included) while word wrapping can fit the table: a date still reads whole. */
const MIN_COLUMN = 12;
/** Narrowest a column is squeezed to when even MIN_COLUMN is too wide: one character and its padding. */
const LAST_RESORT_COLUMN = 3;

/**
 * The table as text at most `width` columns wide: when it is wider, the widest columns are narrowed (each to
 * no less than MIN_COLUMN) and their cells wrap at word boundaries (a word longer than its column is cut
 * with `…`). When that is not enough (many columns, or the columns that could narrow are already narrow, on a
 * narrow terminal), the widest are narrowed further, down to one character each, and their cells wrap
 * anywhere, every character kept. Only a terminal narrower than one character per column overflows.
 */
export function fitTable(table: Table.Table, width = readTerminalWidth()): string {
  const text = table.toString();
  if (longestLine(text) <= width) return text;
  // Drawing a table records each column's width (its widest cell and the padding) and each row's height.
  const { options } = table as unknown as { options: Table.TableConstructorOptions & { colWidths: number[] } };
  const widths = [...options.colWidths];
  if (widths.length === 0) return text;
  const total = () => widths.reduce((a, b) => a + b, 0) + widths.length + 1; // the columns and the borders
  const narrow = (floor: number) => {
    while (total() > width) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest] <= floor) return;
      widths[widest]--;
    }
  };
  narrow(MIN_COLUMN);
  const wrapAnywhere = total() > width;
  if (wrapAnywhere) narrow(LAST_RESORT_COLUMN);
  // Wrapping is decided as a table is made: the same rows go into a table made with the narrowed widths.
  const Made = table.constructor as new (o: Table.TableConstructorOptions) => Table.Table;
  const fitted = new Made({ ...options, colWidths: widths, rowHeights: [], wordWrap: true, wrapOnWordBoundary: !wrapAnywhere });
  fitted.push(...(table as unknown as Table.Table[number][]));
  return fitted.toString();
}

/** The first `n` lines, then `… and K more` when there are more. */
export function listTop(lines: readonly string[], n: number, indent = '  '): string[] {
  if (lines.length <= n) return [...lines];
  return [...lines.slice(0, n), `${indent}… and ${new Intl.NumberFormat('en-US').format(lines.length - n)} more`];
}

function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map((l) => stripAnsi(l).length));
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
