import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { ObjectMemo } from "../support/memo.ts";
import { instructionAt, mapArgs, sourceOffset, sourceSpan } from "../support/source-map.ts";
import type { Fixer, TextEdit } from "../types.ts";

/**
 * DD112 (BuildKit StageNameCasing): `FROM x AS Build` → `FROM x AS build`, and the later
 * references to it (`FROM Build`, `COPY --from=Build`, `RUN --mount=from=Build`) likewise.
 * BuildKit matches stage names case-insensitively, so the build does not change.
 */
export const fixer: Fixer = {
  code: "DD112",
  fix(ctx, hit) {
    const df = ctx.dockerfile;
    const found = instructionAt(df, hit.line, "FROM");
    if (!found || found.instruction !== found.outer) return null;
    const from = found.outer;
    const words = /^(\S+\s+as\s+)([A-Za-z0-9_.-]+)\s*$/i.exec(from.args);
    const map = mapArgs(df, from);
    if (!words || !map) return null;
    const name = words[2]!;
    const lower = name.toLowerCase();
    if (name === lower) return null;
    const at = words[1]!.length;
    const edits: TextEdit[] = [{ ...sourceSpan(map, at, at + name.length), text: lower }];
    // References follow the definition, up to a later stage that takes the name again.
    const naming = stageNamingInstructions(df);
    const refs = (i: Instruction) => (naming.has(i) ? referencesIn(df, i, lower) : NO_EDITS);
    for (const i of df.stages[from.stage]!.instructions.slice(1)) edits.push(...refs(i));
    for (const later of df.stages.slice(from.stage + 1)) {
      for (const i of later.instructions) edits.push(...refs(i));
      if (later.name === lower) break;
    }
    return { description: `write stage name '${name}' in lower case`, edits };
  },
};

const NO_EDITS: readonly TextEdit[] = [];

const namingByFile = new ObjectMemo<Dockerfile, ReadonlySet<Instruction>>();

/**
 * The instructions that can name a stage (see `referencesIn`), found once per file: every
 * finding of the file walks the instructions after its stage.
 */
function stageNamingInstructions(df: Dockerfile): ReadonlySet<Instruction> {
  let naming = namingByFile.get(df);
  if (!naming) {
    naming = new Set(df.instructions.filter((i) => canNameStage(df, i)));
    namingByFile.set(df, naming);
  }
  return naming;
}

/** A FROM or an instruction with a `from=` flag; ONBUILD triggers name stages of a later build. */
function canNameStage(df: Dockerfile, instruction: Instruction): boolean {
  if (instruction.onbuild) return false;
  return instruction.keyword === "FROM" || /from=/i.test(df.source.slice(instruction.start, instruction.end));
}

/**
 * Spellings of the stage name other than `lower` in the flags `--from=NAME` and
 * `--mount=...,from=NAME`, and, for a FROM, its image word (of an instruction that
 * `canNameStage`).
 */
function referencesIn(df: Dockerfile, instruction: Instruction, lower: string): TextEdit[] {
  const isFrom = instruction.keyword === "FROM";
  const map = mapArgs(df, instruction);
  const argsStart = (map && sourceOffset(map, 0)) ?? instruction.end;
  const text = df.source.slice(instruction.start, isFrom ? instruction.end : argsStart);
  const pattern = isFrom
    ? /^(\s*\S+\s+(?:--\S+\s+)*)([A-Za-z0-9_.-]+)(?=\s|$)/g
    : /((?:^|[\s,])(?:--)?from=)([A-Za-z0-9_.-]+)(?=[\s,]|$)/gi;
  const edits: TextEdit[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match[2]!;
    if (value.toLowerCase() !== lower || value === lower) continue;
    const start = instruction.start + match.index + match[1]!.length;
    edits.push({ start, end: start + value.length, text: lower });
  }
  return edits;
}
