/**
 * Stage-level facts for drydock's own rules: what a stage is built FROM (another stage or an
 * image, with global ARG defaults substituted), the chain of stages whose filesystem and config
 * it inherits, its RUNs, and COPY/ADD operands. Semantics: https://docs.docker.com/reference/dockerfile/
 * (multi-stage builds, "Understand how ARG and FROM interact", COPY/ADD).
 */
import type { Dockerfile, Instruction, Stage } from "../../dockerfile/parse.ts";
import type { RuleContext, RunInfo } from "../types.ts";
import { type ImageRef, parseImageRef } from "./image.ts";

/** What a stage is built on. `unknown` when a variable in FROM has no default. */
export type StageBase =
  | { kind: "stage"; stage: Stage }
  | { kind: "image"; ref: ImageRef; text: string }
  | { kind: "scratch" }
  | { kind: "unknown"; text: string };

/** `ARG NAME=value` before the first FROM: the only ARGs FROM can use. */
export function globalArgDefaults(df: Dockerfile): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const instruction of df.instructions) {
    if (instruction.keyword === "FROM") break;
    if (instruction.keyword !== "ARG") continue;
    for (const word of splitWords(instruction.args)) {
      const eq = word.indexOf("=");
      if (eq > 0) defaults.set(word.slice(0, eq), unquote(word.slice(eq + 1)));
    }
  }
  return defaults;
}

/** Substitutes `$X`, `${X}`, `${X:-d}`, `${X-d}`; null when a variable stays unknown. */
export function expandVariables(text: string, values: Map<string, string>): string | null {
  let unresolved = false;
  const out = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_match, braced: string | undefined, op: string | undefined, word: string | undefined, bare) => {
      const value = values.get(braced ?? (bare as string));
      const set = value !== undefined && (value !== "" || op === "-" || op === "+");
      if (op === ":-" || op === "-") return set ? value! : (word ?? "");
      if (op === ":+" || op === "+") return set ? (word ?? "") : "";
      if (value !== undefined) return value;
      unresolved = true;
      return "";
    },
  );
  return unresolved ? null : out;
}

/** The stage a name refers to: an earlier stage with that (case-insensitive) name. */
export function stageNamed(df: Dockerfile, name: string, before: number): Stage | undefined {
  const wanted = name.toLowerCase();
  return df.stages.find((s) => s.index < before && s.name === wanted);
}

export function stageBase(df: Dockerfile, stage: Stage): StageBase {
  const text = expandVariables(stage.image, globalArgDefaults(df));
  if (text === null || text === "") return { kind: "unknown", text: stage.image };
  const parent = stageNamed(df, text, stage.index);
  if (parent) return { kind: "stage", stage: parent };
  if (text.toLowerCase() === "scratch") return { kind: "scratch" };
  return { kind: "image", ref: parseImageRef(text), text };
}

/**
 * The stage followed by the stages it is built FROM, nearest first: their instructions all
 * end up in its image (filesystem and config such as USER).
 */
export function stageChain(df: Dockerfile, stage: Stage): Stage[] {
  const chain = [stage];
  for (;;) {
    const base = stageBase(df, chain[chain.length - 1]!);
    if (base.kind !== "stage" || chain.includes(base.stage)) return chain;
    chain.push(base.stage);
  }
}

/** The image (or scratch/unknown) at the bottom of a stage's chain. */
export function rootBase(df: Dockerfile, stage: Stage): Exclude<StageBase, { kind: "stage" }> {
  const chain = stageChain(df, stage);
  const base = stageBase(df, chain[chain.length - 1]!);
  return base.kind === "stage" ? { kind: "unknown", text: stage.image } : base;
}

/** The stage a plain `docker build` produces: the last one. */
export function finalStage(df: Dockerfile): Stage | undefined {
  return df.stages[df.stages.length - 1];
}

/** RUNs that execute in this build in the given stage (ONBUILD triggers do not). */
export function stageRuns(ctx: RuleContext, stage: Stage): RunInfo[] {
  return ctx.runs.filter((r) => r.outer === r.instruction && r.instruction.stage === stage.index);
}

/** `COPY --from=<x>` / `RUN --mount=from=<x>`: the stage x names (by name or index), if any. */
export function stageFromReference(df: Dockerfile, reference: string, before: number): Stage | undefined {
  if (/^\d+$/.test(reference)) {
    const stage = df.stages[Number(reference)];
    return stage && stage.index < before ? stage : undefined;
  }
  return stageNamed(df, reference, before);
}

/** Splits arguments on blanks, keeping quoted runs together (quotes kept). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | null = null;
  let inWord = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (quote) {
      current += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      current += c;
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      continue;
    }
    current += c;
    inWord = true;
  }
  if (inWord) words.push(current);
  return words;
}

export function unquote(word: string): string {
  if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.endsWith(word[0]!))
    return word.slice(1, -1);
  return word;
}

/** Sources and destination of COPY/ADD (exec or shell form), unquoted; null for heredocs. */
export function copyOperands(instruction: Instruction): { sources: string[]; dest: string } | null {
  if (instruction.heredocs.length > 0) return null;
  const words = instruction.json ?? splitWords(instruction.args).map(unquote);
  if (words.length < 2) return null;
  return { sources: words.slice(0, -1), dest: words[words.length - 1]! };
}

/** Sources that mean "everything in the build context". */
const WHOLE_CONTEXT_SOURCES = new Set([".", "./", "./.", "*", "./*", "/", "/."]);

/**
 * `COPY . .`, `COPY ./ /app`, `ADD . /app`, `COPY --chown=x . .`: a COPY/ADD of the whole build
 * context (not `--from` another stage or image).
 */
export function isWholeContextCopy(instruction: Instruction): boolean {
  if (instruction.keyword !== "COPY" && instruction.keyword !== "ADD") return false;
  if (instruction.flags.some((f) => f.name === "from")) return false;
  const operands = copyOperands(instruction);
  return !!operands && operands.sources.some((s) => WHOLE_CONTEXT_SOURCES.has(s));
}

export interface RunMount {
  type: string;
  target: string | null;
  source: string | null;
  from: string | null;
}

/** `RUN --mount=type=cache,target=/root/.npm` etc. (type defaults to bind). */
export function runMounts(instruction: Instruction): RunMount[] {
  return instruction.flags
    .filter((f) => f.name === "mount" && f.value !== null)
    .map((f) => {
      const fields = new Map<string, string>();
      for (const part of f.value!.split(",")) {
        const eq = part.indexOf("=");
        if (eq === -1) fields.set(part.trim().toLowerCase(), "");
        else fields.set(part.slice(0, eq).trim().toLowerCase(), unquote(part.slice(eq + 1).trim()));
      }
      return {
        type: fields.get("type") ?? "bind",
        target: fields.get("target") ?? fields.get("dst") ?? fields.get("destination") ?? null,
        source: fields.get("source") ?? fields.get("src") ?? null,
        from: fields.get("from") ?? null,
      };
    });
}

/** True when `path` is `dir` or inside it (plain string paths, trailing slashes ignored). */
export function isWithin(path: string, dir: string): boolean {
  const p = path.replace(/\/+$/, "");
  const d = dir.replace(/\/+$/, "");
  return p === d || p.startsWith(`${d}/`);
}

/** The WORKDIR in effect at an instruction, following the stage chain; "/" when none. */
export function workdirAt(df: Dockerfile, stage: Stage, instruction: Instruction): string {
  const chain = stageChain(df, stage).reverse();
  let dir = "/";
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) return dir;
      if (i.keyword !== "WORKDIR") continue;
      const value = unquote(i.args.trim());
      dir = value.startsWith("/") ? value : `${dir.replace(/\/+$/, "")}/${value}`;
    }
  }
  return dir;
}

/**
 * The value ENV (or an ARG default) gives a variable before `instruction` in the stage chain,
 * or at the end of the stage when `instruction` is null (the last setting wins); undefined when
 * never set. Handles `ENV A=1 B=2` and `ENV A 1`.
 */
export function variableAt(
  df: Dockerfile,
  stage: Stage,
  instruction: Instruction | null,
  name: string,
): string | undefined {
  let value: string | undefined;
  for (const s of stageChain(df, stage).reverse()) {
    for (const i of s.instructions) {
      if (i === instruction) return value;
      if (i.keyword !== "ENV" && i.keyword !== "ARG") continue;
      const words = splitWords(i.args);
      if (i.keyword === "ENV" && words.length >= 2 && !words[0]!.includes("=")) {
        if (words[0] === name) value = unquote(words.slice(1).join(" "));
        continue;
      }
      for (const word of words) {
        const eq = word.indexOf("=");
        if (eq > 0 && word.slice(0, eq) === name) value = unquote(word.slice(eq + 1));
      }
    }
  }
  return value;
}
