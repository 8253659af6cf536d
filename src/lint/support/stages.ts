/**
 * Stages and what they inherit (https://docs.docker.com/reference/dockerfile/#from, multi-stage
 * builds, "Understand how ARG and FROM interact"): the global (meta) ARGs FROM lines can use,
 * what each FROM builds on (an earlier stage, an image, scratch), the chain of stages whose
 * filesystem and config a stage inherits, and the WORKDIR and variables in effect there.
 *
 * Three readings of "which stage does this FROM name", each for its own kind of rule:
 * - parentStages: the image word as written, as hadolint compares it (the DL rules);
 * - stageBases: expanded with the global ARG defaults; a variable without a value makes the
 *   base unknown, so rules do not guess (drydock's rules, DL3006/DL3007/DL3009/DL3026);
 * - baseStageIndexes: expanded as BuildKit does, platform ARGs included (the BuildKit checks).
 */

import type { Dockerfile, Instruction, Stage } from "../../dockerfile/parse.ts";
import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import type { RuleContext, RunInfo } from "../types.ts";
import { type Expansion, expandWord, type Lookup } from "./expand.ts";
import { type ImageRef, parseImageRef } from "./images.ts";
import { ObjectMemo } from "./memo.ts";
import { argDeclarations, type EscapeChar, instructionWords, keyValues, unquote } from "./words.ts";

// ---------------------------------------------------------------------------------------------
// Global ARGs

/**
 * ARGs BuildKit defines in the global scope (https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope).
 * FROM lines can use them without declaring them; inside a stage they exist only after
 * `ARG NAME`. Values are for a linux/amd64 host, the most common one: they only serve to judge
 * whether an expanded reference is well formed.
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

/** ARG instructions before the first FROM: the only ones FROM lines can use. */
export function globalArgInstructions(df: Dockerfile): Instruction[] {
  // Instructions before the first FROM (stage -1) come first: the walk stops at the first FROM.
  const args: Instruction[] = [];
  const instructions = df.instructions;
  for (let k = 0; k < instructions.length && instructions[k]!.stage === -1; k++) {
    if (instructions[k]!.keyword === "ARG") args.push(instructions[k]!);
  }
  return args;
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
 * Values FROM lines see when no `--build-arg` is given: the `predefined` ARGs, then each
 * global ARG default expanded in order (an ARG without default stays unset). With the default
 * `predefined`, the map is computed once per file and shared: do not modify it.
 */
export function defaultMetaArgs(
  df: Dockerfile,
  predefined: ReadonlyMap<string, string> = PREDEFINED_PLATFORM_ARGS,
): Map<string, string> {
  if (predefined !== PREDEFINED_PLATFORM_ARGS) return evaluateGlobalArgs(df, predefined, false);
  // Several BuildKit checks ask for the same values: computed once per file, shared.
  let values = metaArgsCache.get(df);
  if (!values) {
    values = evaluateGlobalArgs(df, predefined, false);
    metaArgsCache.set(df, values);
  }
  return values;
}

const metaArgsCache = new ObjectMemo<Dockerfile, Map<string, string>>();

/**
 * The global ARG defaults a rule can know without a build: platform ARGs are left out (they
 * depend on the builder), and so is a default that uses a variable without a value.
 */
export function globalArgDefaults(df: Dockerfile): Map<string, string> {
  return evaluateGlobalArgs(df, new Map(), true);
}

function evaluateGlobalArgs(
  df: Dockerfile,
  predefined: ReadonlyMap<string, string>,
  knownOnly: boolean,
): Map<string, string> {
  const values = new Map(predefined);
  for (const instruction of globalArgInstructions(df)) {
    for (const arg of argDeclarations(instruction, df.escape)) {
      if (arg.defaultWord === null) continue;
      const expansion = expandWord(arg.defaultWord, lookupIn(values), { escape: df.escape });
      if (knownOnly && (expansion.error || expansion.missing.size > 0)) values.delete(arg.name);
      else values.set(arg.name, expansion.result);
    }
  }
  return values;
}

export function lookupIn(values: ReadonlyMap<string, string>): Lookup {
  return (name) => values.get(name);
}

// ---------------------------------------------------------------------------------------------
// What a FROM builds on

/** The words of a FROM after its flags: `image [AS name]` (shared: do not modify). */
export function fromWords(from: Instruction, escapeChar: EscapeChar): string[] {
  return instructionWords(from, escapeChar);
}

/** The FROM's image word expanded with the given meta ARGs. */
export function expandedBaseName(
  df: Dockerfile,
  from: Instruction,
  metaArgs: ReadonlyMap<string, string>,
): Expansion {
  const word = fromWords(from, df.escape)[0] ?? "";
  return expandWord(word, lookupIn(metaArgs), { escape: df.escape });
}

/** The latest stage before `before` with that name (names compare case-insensitively). */
function earlierStageNamed(df: Dockerfile, name: string, before: number): Stage | undefined {
  const wanted = name.toLowerCase();
  return df.stages.slice(0, before).findLast((s) => s.name === wanted);
}

/** For each stage, the index of the earlier stage its FROM names as written (hadolint), or null. */
export function parentStages(df: Dockerfile): (number | null)[] {
  return mapToList(df.stages, (stage) => earlierStageNamed(df, stage.image, stage.index)?.index ?? null);
}

/**
 * Stage indexes a later stage builds on: by the FROM word as written (hadolint), or once the
 * global ARG defaults are substituted (stageBases).
 */
export function stagesUsedAsBase(
  df: Dockerfile,
  reading: "as-written" | "expanded" = "as-written",
): Set<number> {
  const parents =
    reading === "as-written"
      ? parentStages(df)
      : mapToList(stageBases(df), (base) => (base.kind === "stage" ? base.stage.index : null));
  return new Set(parents.filter((p): p is number => p !== null));
}

/**
 * Does the layer of this RUN end up in an image (hadolint DL3009, DL3060)? Yes in the last
 * stage and in a stage a later FROM builds on (`usedAsBase`); an ONBUILD RUN always does (it
 * runs in some later image); a stage only copied from with `COPY --from` does not.
 */
export function runShips(df: Dockerfile, run: RunInfo, usedAsBase: ReadonlySet<number>): boolean {
  const stage = run.outer.stage;
  return run.outer !== run.instruction || stage === df.stages.length - 1 || usedAsBase.has(stage);
}

/** For each stage, the index of the earlier stage its FROM names once BuildKit expands it, or null. */
export function baseStageIndexes(df: Dockerfile, metaArgs = defaultMetaArgs(df)): (number | null)[] {
  const byDefault = metaArgs === defaultMetaArgs(df);
  const cached = byDefault ? baseIndexesCache.get(df) : undefined;
  if (cached) return cached;
  const indexes = computeBaseStageIndexes(df, metaArgs);
  if (byDefault) baseIndexesCache.set(df, indexes);
  return indexes;
}

const baseIndexesCache = new ObjectMemo<Dockerfile, (number | null)[]>();

function computeBaseStageIndexes(df: Dockerfile, metaArgs: ReadonlyMap<string, string>): (number | null)[] {
  return mapToList(df.stages, (stage) => {
    const expansion = expandedBaseName(df, stage.from, metaArgs);
    if (expansion.error) return null;
    return earlierStageNamed(df, expansion.result, stage.index)?.index ?? null;
  });
}

/** What a stage is built on. `unknown` when a variable in FROM has no default. */
export type StageBase =
  | { kind: "stage"; stage: Stage }
  | { kind: "image"; ref: ImageRef; text: string }
  | { kind: "scratch" }
  | { kind: "unknown"; text: string };

// Rules ask for the bases of one Dockerfile many times (stage chains); parsing is immutable.
const basesCache = new ObjectMemo<Dockerfile, StageBase[]>();

/**
 * What each FROM builds on, with global ARG defaults substituted (`ARG IMG=python:3.12`,
 * `FROM ${IMG}`). Platform ARGs count as unknown here: their value depends on the builder.
 */
export function stageBases(df: Dockerfile): StageBase[] {
  let bases = basesCache.get(df);
  if (!bases) {
    const metaArgs = globalArgDefaults(df);
    bases = mapToList(df.stages, (stage) => classifyBase(df, stage, metaArgs));
    basesCache.set(df, bases);
  }
  return bases;
}

/**
 * `word` expanded with `values` (e.g. globalArgDefaults), or null when the build decides it:
 * a variable without a value, a substitution BuildKit refuses, or an empty result.
 */
export function expandKnown(
  word: string,
  values: ReadonlyMap<string, string>,
  escapeChar: EscapeChar = "\\",
): string | null {
  const expansion = expandWord(word, lookupIn(values), { escape: escapeChar });
  if (expansion.error || expansion.missing.size > 0 || expansion.result === "") return null;
  return expansion.result;
}

function classifyBase(df: Dockerfile, stage: Stage, metaArgs: ReadonlyMap<string, string>): StageBase {
  const text = expandKnown(fromWords(stage.from, df.escape)[0] ?? "", metaArgs, df.escape);
  if (text === null) return { kind: "unknown", text: stage.image };
  const parent = earlierStageNamed(df, text, stage.index);
  if (parent) return { kind: "stage", stage: parent };
  if (text.toLowerCase() === "scratch") return { kind: "scratch" };
  return { kind: "image", ref: parseImageRef(text), text };
}

export function stageBase(df: Dockerfile, stage: Stage): StageBase {
  return stageBases(df)[stage.index]!;
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

/** The outside image a stage builds on (following `FROM <stage>` chains), or null. */
export function stageImage(df: Dockerfile, stageIndex: number): ImageRef | null {
  const stage = df.stages[stageIndex];
  const base = stage ? rootBase(df, stage) : null;
  return base?.kind === "image" ? base.ref : null;
}

/** The stage a plain `docker build` produces: the last one. */
export function finalStage(df: Dockerfile): Stage | undefined {
  return df.stages[df.stages.length - 1];
}

/** `COPY --from=<x>` / `RUN --mount=from=<x>`: the stage x names (by name or index), if any. */
export function stageFromReference(df: Dockerfile, reference: string, before: number): Stage | undefined {
  if (/^\d+$/.test(reference)) {
    const stage = df.stages[Number(reference)];
    return stage && stage.index < before ? stage : undefined;
  }
  return earlierStageNamed(df, reference, before);
}

// ---------------------------------------------------------------------------------------------
// What is in effect inside a stage

/** RUNs that execute in this build in the given stage (ONBUILD triggers do not; shared: do not modify). */
export function stageRuns(ctx: RuleContext, stage: Stage): RunInfo[] {
  // Several rules walk the RUNs of every stage: the file's RUNs are sorted by stage once.
  let byStage = runsByStageCache.get(ctx);
  if (byStage === undefined) {
    byStage = mapToList(ctx.dockerfile.stages, () => objectList<RunInfo>());
    for (const run of ctx.runs) {
      if (run.outer === run.instruction) byStage[run.instruction.stage]?.push(run);
    }
    runsByStageCache.set(ctx, byStage);
  }
  return byStage[stage.index] ?? NO_RUNS;
}

const runsByStageCache = new ObjectMemo<RuleContext, RunInfo[][]>();
const NO_RUNS: RunInfo[] = objectList();

/** The WORKDIR in effect at an instruction, following the stage chain; "/" when none. */
export function workdirAt(df: Dockerfile, stage: Stage, instruction: Instruction): string {
  const chain = stageChain(df, stage).reverse();
  let dir = "/";
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i === instruction) return dir;
      if (i.keyword !== "WORKDIR") continue;
      const value = unquote(i.args.trim(), df.escape);
      dir = value.startsWith("/") ? value : `${dir.replace(/\/+$/, "")}/${value}`;
    }
  }
  return dir;
}

/**
 * The value ENV (or an ARG default) gives a variable before `instruction` in the stage chain,
 * or at the end of the stage when `instruction` is null (the last setting wins); undefined when
 * never set. Values are unquoted, variables in them kept as written.
 */
export function variableAt(
  df: Dockerfile,
  stage: Stage,
  instruction: Instruction | null,
  name: string,
): string | undefined {
  let value: string | undefined;
  const chain = stageChain(df, stage);
  for (let c = chain.length - 1; c >= 0; c--) {
    for (const i of chain[c]!.instructions) {
      if (i === instruction) return value;
      // Only ENV and an ARG with a default set a value (the others are stepped over unread).
      if (i.keyword === "ENV") {
        for (const pair of keyValues(i, df.escape)) if (pair.key === name) value = pair.value;
      } else if (i.keyword === "ARG") {
        for (const arg of argDeclarations(i, df.escape)) {
          if (arg.name === name && arg.defaultWord !== null) value = unquote(arg.defaultWord, df.escape);
        }
      }
    }
  }
  return value;
}
