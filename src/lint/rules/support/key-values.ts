import type { Instruction } from "../../../dockerfile/parse.ts";
import { splitWords } from "./image-ref.ts";

/**
 * `key=value` pairs of ENV and LABEL as BuildKit reads them (moby/buildkit
 * frontend/dockerfile/parser, parseNameVal; https://docs.docker.com/reference/dockerfile/#env):
 * quoted words, or the legacy `ENV key value` form where the value is the rest of the line.
 * Keys and values are unquoted; variables are kept as written.
 */
export interface KeyValue {
  key: string;
  value: string;
}

export function keyValues(instruction: Instruction): KeyValue[] {
  const words = splitWords(instruction.args);
  if (words.length === 0) return [];
  if (!words[0]!.includes("=")) {
    const rest = instruction.args.trim().slice(words[0]!.length).trim();
    return [{ key: unquoteWord(words[0]!), value: unquoteWord(rest) }];
  }
  return words.map((word) => {
    const eq = equalsOutsideQuotes(word);
    if (eq === -1) return { key: unquoteWord(word), value: "" };
    return { key: unquoteWord(word.slice(0, eq)), value: unquoteWord(word.slice(eq + 1)) };
  });
}

/** Names an ARG declares: `ARG a`, `ARG a=1 b=2`. */
export function argNames(instruction: Instruction): string[] {
  return splitWords(instruction.args).map((word) => {
    const eq = word.indexOf("=");
    return unquoteWord(eq === -1 ? word : word.slice(0, eq));
  });
}

function equalsOutsideQuotes(word: string): number {
  let quote: string | null = null;
  for (let k = 0; k < word.length; k++) {
    const c = word[k]!;
    if (quote) {
      if (c === "\\" && quote === '"') k++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "\\") k++;
    else if (c === "=") return k;
  }
  return -1;
}

/** Removes shell-style quoting: quotes anywhere in the word, backslash escapes outside `'`. */
export function unquoteWord(word: string): string {
  let out = "";
  let quote: string | null = null;
  for (let k = 0; k < word.length; k++) {
    const c = word[k]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && k + 1 < word.length && '"\\$`'.includes(word[k + 1]!)) out += word[++k];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "\\" && k + 1 < word.length) out += word[++k];
    else out += c;
  }
  return out;
}

/**
 * True when `text` expands variable `name`: `${name}`, `${name:-x}` and the like, or bare
 * `$name` not followed by another name character (hadolint's bareVariableInText).
 */
export function referencesVariable(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\$(?:\\{${escaped}(?:[}:#%/^,@]|[-+=?])|${escaped}(?![A-Za-z0-9_]))`).test(text);
}
