/**
 * Word positions inside one simple command of a RUN script, so fixers can insert a flag after
 * a given word or replace the command name. `ShellCommand` (src/dockerfile/shell.ts) gives the
 * command's span and its raw words; we re-read the span into blank-separated words (quotes,
 * `$(...)` and backticks kept whole, per POSIX token rules:
 * https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_03) and
 * line them up with the raw words. Any mismatch gives null: the fixer then offers no fix.
 */
import type { ShellCommand } from "../../dockerfile/shell.ts";
import type { Span } from "./source-map.ts";

export interface WordSpan extends Span {
  raw: string;
}

export interface CommandWords {
  assignments: WordSpan[];
  name: WordSpan;
  /** One span per `cmd.rawArgs` entry (redirections are not in rawArgs). */
  args: WordSpan[];
}

export function commandWords(script: string, cmd: ShellCommand): CommandWords | null {
  if (cmd.end <= cmd.start) return null;
  const words = splitBlank(script, cmd.start, cmd.end);
  const assignments = words.slice(0, cmd.assignments.length);
  const name = words[cmd.assignments.length];
  if (!name || name.raw.length === 0) return null;
  const args: WordSpan[] = [];
  let k = cmd.assignments.length + 1;
  for (const raw of cmd.rawArgs) {
    while (k < words.length && words[k]!.raw !== raw) k++;
    if (k >= words.length) return null;
    args.push(words[k]!);
    k++;
  }
  return { assignments, name, args };
}

/** Blank-separated words of script[from, to), with quoting kept inside a word. */
export function splitBlank(script: string, from: number, to: number): WordSpan[] {
  const words: WordSpan[] = [];
  let k = from;
  while (k < to) {
    const c = script[k]!;
    if (c === " " || c === "\t" || c === "\n") {
      k++;
      continue;
    }
    const start = k;
    while (k < to && !" \t\n".includes(script[k]!)) k = skipUnit(script, k, to);
    words.push({ raw: script.slice(start, k), start, end: k });
  }
  return words;
}

/** Offset after the quoted string, substitution or escaped character that starts at k. */
function skipUnit(s: string, k: number, to: number): number {
  const c = s[k]!;
  if (c === "\\") return Math.min(k + 2, to);
  if (c === "'") return closeAt(s.indexOf("'", k + 1), to);
  if (c === "`") return closeAt(s.indexOf("`", k + 1), to);
  if (c === '"') {
    let j = k + 1;
    while (j < to && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
    return Math.min(j + 1, to);
  }
  if (c === "$" && s[k + 1] === "(") {
    let depth = 0;
    for (let j = k + 1; j < to; j++) {
      if (s[j] === "(") depth++;
      else if (s[j] === ")" && --depth === 0) return j + 1;
    }
    return to;
  }
  return k + 1;
}

function closeAt(index: number, to: number): number {
  return index === -1 || index >= to ? to : index + 1;
}

/** True when a word is plain text: no quotes, escapes, expansions, globs or operators. */
export function isPlainWord(word: string): boolean {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word);
}
