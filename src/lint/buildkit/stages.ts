/**
 * What BuildKit knows about FROM lines before it builds anything: the global (meta) ARGs
 * declared before the first FROM, the platform ARGs it predefines, and which earlier stage a
 * FROM refers to (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact,
 * https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope).
 */
import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { type Expansion, expandWord, type Lookup, splitWords } from "./expand.ts";

/**
 * ARGs BuildKit defines in the global scope. FROM lines can use them without declaring them;
 * inside a stage they exist only after `ARG NAME`. Values are for a linux/amd64 host, the most
 * common one: they only serve to judge whether an expanded reference is well formed.
 */
export const PREDEFINED_PLATFORM_ARGS: ReadonlyMap<string, string> = new Map([
  ["BUILDPLATFORM", "linux/amd64"],
  ["BUILDOS", "linux"],
  ["BUILDOSVERSION", ""],
  ["BUILDARCH", "amd64"],
  ["BUILDVARIANT", ""],
  ["TARGETPLATFORM", "linux/amd64"],
  ["TARGETOS", "linux"],
  ["TARGETOSVERSION", ""],
  ["TARGETARCH", "amd64"],
  ["TARGETVARIANT", ""],
  ["TARGETSTAGE", "default"],
]);

/** `ARG` key and its default word (quotes kept), or null when there is no default. */
export interface ArgDeclaration {
  name: string;
  defaultWord: string | null;
}

export function argDeclarations(instruction: Instruction, escapeChar: "\\" | "`"): ArgDeclaration[] {
  return splitWords(instruction.args, escapeChar).map((word) => {
    const eq = word.indexOf("=");
    return eq === -1
      ? { name: word, defaultWord: null }
      : { name: word.slice(0, eq), defaultWord: word.slice(eq + 1) };
  });
}

/** ARG instructions before the first FROM. */
export function globalArgInstructions(df: Dockerfile): Instruction[] {
  return df.instructions.filter((i) => i.stage === -1 && i.keyword === "ARG");
}

/** Names of the global ARGs, declared with or without a default. */
export function globalArgNames(df: Dockerfile): Set<string> {
  const names = new Set<string>();
  for (const instruction of globalArgInstructions(df)) {
    for (const arg of argDeclarations(instruction, df.escape)) names.add(arg.name);
  }
  return names;
}

/**
 * Values FROM lines see when no `--build-arg` is given: the predefined platform ARGs, then
 * each global ARG default expanded in order (an ARG without default stays unset).
 */
export function defaultMetaArgs(df: Dockerfile): Map<string, string> {
  const values = new Map(PREDEFINED_PLATFORM_ARGS);
  for (const instruction of globalArgInstructions(df)) {
    for (const arg of argDeclarations(instruction, df.escape)) {
      if (arg.defaultWord === null) continue;
      const expansion = expandWord(arg.defaultWord, (n) => values.get(n), { escape: df.escape });
      values.set(arg.name, expansion.result);
    }
  }
  return values;
}

export function lookupIn(values: ReadonlyMap<string, string>): Lookup {
  return (name) => values.get(name);
}

/** The words of a FROM after its flags: `image [AS name]`. */
export function fromWords(from: Instruction, escapeChar: "\\" | "`"): string[] {
  return splitWords(from.args, escapeChar);
}

/** The FROM's image word expanded with the default meta ARGs. */
export function expandedBaseName(
  df: Dockerfile,
  from: Instruction,
  metaArgs: ReadonlyMap<string, string>,
): Expansion {
  const word = fromWords(from, df.escape)[0] ?? "";
  return expandWord(word, lookupIn(metaArgs), { escape: df.escape });
}

/**
 * For each stage, the index of the earlier stage its FROM names, or null for an image.
 * BuildKit matches stage names case-insensitively and only among stages defined before.
 */
export function baseStageIndexes(df: Dockerfile, metaArgs = defaultMetaArgs(df)): (number | null)[] {
  return df.stages.map((stage) => {
    const expansion = expandedBaseName(df, stage.from, metaArgs);
    if (expansion.error) return null;
    const base = expansion.result.toLowerCase();
    const earlier = df.stages.slice(0, stage.index).findLast((s) => s.name === base);
    return earlier ? earlier.index : null;
  });
}

/** Keys an ENV sets: every `key=value` pair, or the first word of the legacy `ENV key value`. */
export function envKeys(instruction: Instruction, escapeChar: "\\" | "`"): string[] {
  const words = splitWords(instruction.args, escapeChar);
  if (words.length === 0) return [];
  const literal = (word: string) => expandWord(word, () => undefined, { escape: escapeChar }).result;
  if (!words[0]!.includes("=")) return [literal(words[0]!)];
  return words.filter((w) => w.includes("=")).map((w) => literal(w.slice(0, w.indexOf("="))));
}
