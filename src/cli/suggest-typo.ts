/**
 * "Did you mean …?" for yargs's `Unknown argument(s): a, b`: each unknown word against the commands (when no
 * command was named) or the flags of the command named, by edit distance (src/text/closest-word.ts).
 */
import { findClosestWord } from '../text/closest-word.js';

/** yargs's message, without camelCase repeats, with a suggestion per unknown word close to a command or flag. */
export function suggestForUnknown(message: string, o: { commands: readonly string[]; flags: readonly string[]; commandNamed: boolean }): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return message;
  const hints: { typed: string; meant: string }[] = [];
  const words = m[1].split(', ');
  const kebab = (w: string) => w.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  // yargs names a misspelt kebab flag twice (stop-pc, stopPc): the camelCase one is the same typo.
  const typed = words.filter((w) => w === kebab(w) || !words.includes(kebab(w)));
  for (const word of typed) {
    // yargs names a flag without its dashes; a bare word (no command named yet) is a misspelt command.
    const asCommand = !o.commandNamed && o.commands.includes(word) === false ? findClosestWord(word, o.commands) : null;
    const asFlag = findClosestWord(word, o.flags.filter((f) => f.length > 1));
    if (asCommand) hints.push({ typed: word, meant: asCommand });
    else if (asFlag) hints.push({ typed: `${word.length > 1 ? '--' : '-'}${word}`, meant: `--${asFlag}` });
  }
  if (hints.length === 0) return `Unknown argument${typed.length > 1 ? 's' : ''}: ${typed.join(', ')}`;
  const meant = typed.length === 1 ? hints[0].meant : hints.map((h) => `${h.typed} → ${h.meant}`).join(', ');
  return `Unknown argument${typed.length > 1 ? 's' : ''}: ${typed.join(', ')}; did you mean ${meant}?`;
}
