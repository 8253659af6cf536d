import type { Dockerfile } from "../../../dockerfile/parse.ts";

/**
 * Image references as Docker reads them (https://github.com/distribution/reference):
 * `[registry/]path[:tag][@digest]`, where the first path component is a registry only when
 * it contains `.` or `:` or is `localhost`.
 */
export interface ImageRef {
  registry: string | null;
  /** Repository path without the registry (`library/debian`, `debian`). */
  path: string;
  tag: string | null;
  digest: string | null;
}

export function parseImageRef(reference: string): ImageRef {
  const at = reference.indexOf("@");
  const digest = at === -1 ? null : reference.slice(at + 1);
  let rest = at === -1 ? reference : reference.slice(0, at);
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  const tag = colon === -1 ? null : rest.slice(colon + 1);
  if (colon !== -1) rest = rest.slice(0, colon);
  const slash = rest.indexOf("/");
  const first = slash === -1 ? null : rest.slice(0, slash);
  const isRegistry = first !== null && (first.includes(".") || first.includes(":") || first === "localhost");
  return {
    registry: isRegistry ? first : null,
    path: isRegistry ? rest.slice(slash + 1) : rest,
    tag,
    digest,
  };
}

/**
 * Defaults of the ARGs declared before the first FROM: the only ones a FROM can use
 * (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact).
 * An ARG without a default maps to null (its value comes from `--build-arg` only).
 */
export function globalArgDefaults(df: Dockerfile): Map<string, string | null> {
  const defaults = new Map<string, string | null>();
  for (const instruction of df.instructions) {
    if (instruction.keyword === "FROM") break;
    if (instruction.keyword !== "ARG") continue;
    for (const word of splitWords(instruction.args)) {
      const eq = word.indexOf("=");
      if (eq === -1) defaults.set(word, null);
      else defaults.set(word.slice(0, eq), unquote(word.slice(eq + 1)));
    }
  }
  return defaults;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}` (and the forms without
 * `:`) with ARG defaults. Returns null when a value is unknown: the image is then decided at
 * build time and rules should not guess.
 */
export function expandArgs(text: string, defaults: ReadonlyMap<string, string | null>): string | null {
  let unknown = false;
  const expanded = text.replace(
    VARIABLE,
    (_match, braced?: string, op?: string, word?: string, bare?: string) => {
      const name = (braced ?? bare)!;
      const value = defaults.get(name) ?? null;
      const isSet = op?.startsWith(":") ? value !== null && value !== "" : value !== null;
      if (op === ":-" || op === "-") return isSet ? value! : (word ?? "");
      if (op === ":+" || op === "+") return isSet ? (word ?? "") : "";
      if (value === null) unknown = true;
      return value ?? "";
    },
  );
  return unknown ? null : expanded;
}

/** Whitespace-separated words, quotes kept (they are stripped per use). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quote) {
      if (c === "\\" && quote === '"' && k + 1 < text.length) {
        current += c + text[++k];
        continue;
      }
      if (c === quote) quote = null;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (/\s/.test(c)) {
      if (current) words.push(current);
      current = "";
    } else current += c;
  }
  if (current) words.push(current);
  return words;
}

/** Removes quotes around a value and inside it (`"a"b` → `ab`), as BuildKit's word lexer does. */
export function unquote(word: string): string {
  return word.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_m, dq?: string, sq?: string) =>
    dq !== undefined ? dq.replace(/\\(.)/g, "$1") : sq!,
  );
}
