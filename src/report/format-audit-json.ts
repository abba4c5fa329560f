/**
 * AuditResult → the audit's `--out` JSON file: the audit block (inputs and summary), then entries and
 * unaudited days one per line in their total order, then both runs as recorded. Entries are byte-identical
 * for the same inputs whatever the thread count.
 */
import type { AuditResult } from '../audit/audit-types.js';

export function formatAuditJson(result: AuditResult): string {
  const list = (items: readonly unknown[]) => (items.length ? `\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n` : '');
  return [
    '{',
    `"audit": ${JSON.stringify(result.audit)},`,
    `"entries": [${list(result.entries)}],`,
    `"unaudited": [${list(result.unaudited)}],`,
    `"runs": ${JSON.stringify(result.runs)}`,
    '}',
  ].join('\n') + '\n';
}
