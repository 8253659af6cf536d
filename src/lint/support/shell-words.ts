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

/** A run of blanks; a run of characters that are each a unit of their own (no quote, escape or `$`). */
const BLANKS = /[ \t\n]+/y;
const PLAIN = /[^ \t\n\\'"`$]+/y;

/** The end of the run `sticky` matches at k, at most `to` (k when none). */
function skipRun(sticky: RegExp, script: string, k: number, to: number): number {
  sticky.lastIndex = k;
  return sticky.test(script) ? Math.min(sticky.lastIndex, to) : k;
}

/** Blank-separated words of script[from, to), with quoting kept inside a word. */
export function splitBlank(script: string, from: number, to: number): WordSpan[] {
  const words: WordSpan[] = [];
  // Runs of blanks and of plain characters are skipped by a regular expression: a long
  // `apt-get install` line, a character at a time, was most of the cost of the fixers' word lookup.
  let k = skipRun(BLANKS, script, from, to);
  while (k < to) {
    const start = k;
    while (k < to) {
      k = skipRun(PLAIN, script, k, to);
      if (k >= to) break;
      const c = script[k]!;
      if (c === " " || c === "\t" || c === "\n") break;
      k = skipUnit(script, k, to);
    }
    words.push({ raw: script.slice(start, k), start, end: k });
    k = skipRun(BLANKS, script, k, to);
  }
  return words;
}

/** Offset after the quoted string, substitution or escaped character that starts at k. */
export function skipUnit(s: string, k: number, to: number): number {
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
