/**
 * The words of an instruction's arguments, as BuildKit's Dockerfile parser reads them before
 * any variable is expanded (moby/buildkit frontend/dockerfile/parser/line_parsers.go:
 * parseWords, parseNameVal; https://docs.docker.com/reference/dockerfile/#environment-replacement):
 * blanks separate words, quotes and escaped characters keep a word together, and the escape
 * character is `\` unless the `# escape=` directive says otherwise.
 */

import type { Instruction } from "../../dockerfile/parse.ts";
import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import { ObjectMemo } from "./memo.ts";

export type EscapeChar = "\\" | "`";

/** Splits arguments into words. Quotes and escape characters are kept (see unquote). */
export function splitWords(text: string, escapeChar: EscapeChar = "\\"): string[] {
  // A word is the text between unquoted blanks, kept verbatim: collect it as one slice. The list
  // has one array map, empty or not (src/dockerfile/shapes.ts).
  const words = objectList<string>();
  let start = -1;
  let quote: string | null = null;
  for (let k = 0; k < text.length; k++) {
    if (quote === null && isBlank(text.charCodeAt(k))) {
      if (start !== -1) words.push(text.slice(start, k));
      start = -1;
      continue;
    }
    if (start === -1) start = k;
    const ch = text[k]!;
    // Nothing can be escaped inside single quotes.
    if (ch === escapeChar && quote !== "'" && k + 1 < text.length) k++;
    else if (quote === null && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === quote) quote = null;
  }
  if (start !== -1) words.push(text.slice(start));
  return words;
}

const UNICODE_BLANK = /\s/;

/** `/\s/` for one UTF-16 unit, without a regular expression for ASCII. */
function isBlank(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return UNICODE_BLANK.test(String.fromCharCode(code));
}

/**
 * The words of an instruction's arguments (`splitWords(instruction.args)`), split once per
 * instruction: many rules read the same ENV, ARG, FROM or COPY. Shared: do not modify.
 */
export function instructionWords(instruction: Instruction, escapeChar: EscapeChar = "\\"): string[] {
  let words = wordsCache.get(instruction, escapeChar);
  if (words === undefined) {
    words = splitWords(instruction.args, escapeChar);
    wordsCache.set(instruction, escapeChar, words);
  }
  return words;
}

/**
 * One value per instruction (and escape character); parsing results never change. Callers
 * compute a missing value themselves: a closure per call would be garbage on every hit.
 */
class PerInstruction<T> {
  readonly #values = new ObjectMemo<Instruction, { escapeChar: EscapeChar; value: T }>();

  get(instruction: Instruction, escapeChar: EscapeChar): T | undefined {
    const cached = this.#values.get(instruction);
    return cached && cached.escapeChar === escapeChar ? cached.value : undefined;
  }

  set(instruction: Instruction, escapeChar: EscapeChar, value: T): void {
    this.#values.set(instruction, { escapeChar, value });
  }
}

const wordsCache = new PerInstruction<string[]>();
const keyValuesCache = new PerInstruction<KeyValue[]>();
const argsCache = new PerInstruction<ArgDeclaration[]>();

/**
 * Removes shell-style quoting and keeps variables as written: quotes anywhere in the word,
 * escapes outside single quotes (inside double quotes only before `"`, `$`, a backtick or
 * the escape character itself).
 */
export function unquote(word: string, escapeChar: EscapeChar = "\\"): string {
  // Most words have nothing to remove.
  if (!word.includes(escapeChar) && !word.includes('"') && !word.includes("'")) return word;
  const escapableInDouble = `"$\`${escapeChar}`;
  let out = "";
  let quote: string | null = null;
  for (let k = 0; k < word.length; k++) {
    const c = word[k]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === escapeChar && k + 1 < word.length && escapableInDouble.includes(word[k + 1]!))
        out += word[++k];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === escapeChar && k + 1 < word.length) out += word[++k];
    else out += c;
  }
  return out;
}

/**
 * Strips quote characters from both ends only (hadolint's dropQuotes): the hadolint rules
 * compare paths this way, so `"a"b` stays `a"b` for them.
 */
export function dropQuotes(word: string): string {
  return word.replace(/^["']+|["']+$/g, "");
}

/** A `key=value` pair of ENV or LABEL, unquoted; variables kept as written. */
export interface KeyValue {
  key: string;
  value: string;
}

/**
 * The pairs of an ENV or LABEL (https://docs.docker.com/reference/dockerfile/#env): quoted
 * `key=value` words, or the legacy `ENV key value` form whose value is the rest of the line.
 * A word without `=` in the pair form gives an empty value (BuildKit refuses it).
 * Read once per instruction and shared: do not modify.
 */
export function keyValues(instruction: Instruction, escapeChar: EscapeChar = "\\"): KeyValue[] {
  let pairs = keyValuesCache.get(instruction, escapeChar);
  if (pairs === undefined) {
    pairs = readKeyValues(instruction, escapeChar);
    keyValuesCache.set(instruction, escapeChar, pairs);
  }
  return pairs;
}

function readKeyValues(instruction: Instruction, escapeChar: EscapeChar): KeyValue[] {
  const words = instructionWords(instruction, escapeChar);
  if (words.length === 0) return objectList();
  if (!words[0]!.includes("=")) {
    const rest = instruction.args.trim().slice(words[0]!.length).trim();
    return [{ key: unquote(words[0]!, escapeChar), value: unquote(rest, escapeChar) }];
  }
  return mapToList(words, (word) => {
    const eq = equalsOutsideQuotes(word, escapeChar);
    if (eq === -1) return { key: unquote(word, escapeChar), value: "" };
    return { key: unquote(word.slice(0, eq), escapeChar), value: unquote(word.slice(eq + 1), escapeChar) };
  });
}

/** Keys an ENV (or LABEL) sets. */
export function envKeys(instruction: Instruction, escapeChar: EscapeChar = "\\"): string[] {
  return mapToList(keyValues(instruction, escapeChar), (pair) => pair.key);
}

/** One name an ARG declares, with its default word as written (quotes kept), if any. */
export interface ArgDeclaration {
  name: string;
  defaultWord: string | null;
}

/** `ARG a`, `ARG a=1 b="x y"`: what the ARG declares (read once per instruction; shared). */
export function argDeclarations(instruction: Instruction, escapeChar: EscapeChar = "\\"): ArgDeclaration[] {
  let declarations = argsCache.get(instruction, escapeChar);
  if (declarations === undefined) {
    declarations = readArgDeclarations(instruction, escapeChar);
    argsCache.set(instruction, escapeChar, declarations);
  }
  return declarations;
}

function readArgDeclarations(instruction: Instruction, escapeChar: EscapeChar): ArgDeclaration[] {
  return mapToList(instructionWords(instruction, escapeChar), (word) => {
    const eq = word.indexOf("=");
    return eq === -1
      ? { name: unquote(word, escapeChar), defaultWord: null }
      : { name: unquote(word.slice(0, eq), escapeChar), defaultWord: word.slice(eq + 1) };
  });
}

/** Names an ARG declares. */
export function argNames(instruction: Instruction, escapeChar: EscapeChar = "\\"): string[] {
  return mapToList(argDeclarations(instruction, escapeChar), (arg) => arg.name);
}

function equalsOutsideQuotes(word: string, escapeChar: EscapeChar): number {
  let quote: string | null = null;
  for (let k = 0; k < word.length; k++) {
    const c = word[k]!;
    if (quote) {
      if (c === escapeChar && quote === '"') k++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === escapeChar) k++;
    else if (c === "=") return k;
  }
  return -1;
}
