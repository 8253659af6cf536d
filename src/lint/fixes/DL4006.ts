import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { reportedRuns } from "../rules/DL4006.ts";
import { stageIsAlpine, stageUserland } from "../support/image-facts.ts";
import { ObjectMemo } from "../support/memo.ts";
import { argsSourceSpan, inCasingOf, insertionPointBefore, instructionAt } from "../support/source-map.ts";
import { parentStages } from "../support/stages.ts";
import type { Fix, Fixer, RuleContext, TextEdit } from "../types.ts";

/** Shells that understand `-o pipefail` (bash, zsh, BusyBox ash, ksh). */
const PIPEFAIL_SHELLS = /^(bash|zsh|ash|ksh|mksh)$/;

/**
 * DL4006: make pipes fail when their left side fails. With no SHELL in effect, insert
 * `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the stage's first RUN with a pipe (the
 * Dockerfile reference's advice), using `/bin/ash` on Alpine (BusyBox ash has pipefail; there
 * is no bash) and no fix on bases we do not know to have either. A SHELL already in effect
 * that runs such a shell with `-c` gets `-o pipefail` added; any other SHELL is left alone.
 */
export const fixer: Fixer = {
  code: "DL4006",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "RUN");
    if (!found || found.instruction !== found.outer || found.outer.stage < 0) return null;
    const shell = shellInEffect(ctx, found.outer);
    if (shell) return addPipefail(ctx, shell);
    return insertShell(ctx, found.outer.stage);
  },
};

/** The last SHELL before `run` in its stage or the stages it builds on. */
function shellInEffect(ctx: RuleContext, run: Instruction): Instruction | null {
  const df = ctx.dockerfile;
  // Most files have no SHELL at all: nothing to look for in any stage.
  if (!hasShell(df)) return null;
  const parents = parentStages(df);
  let stage: number | null | undefined = run.stage;
  let before = run.line;
  while (stage !== null && stage !== undefined) {
    const shells = df.stages[stage]!.instructions.filter((i) => i.keyword === "SHELL" && i.line < before);
    if (shells.length > 0) return shells.at(-1)!;
    before = Number.POSITIVE_INFINITY;
    stage = parents[stage];
  }
  return null;
}

const hasShellMemo = new ObjectMemo<Dockerfile, boolean>();

function hasShell(df: Dockerfile): boolean {
  let found = hasShellMemo.get(df);
  if (found === undefined) {
    found = df.instructions.some((i) => i.keyword === "SHELL");
    hasShellMemo.set(df, found);
  }
  return found;
}

function addPipefail(ctx: RuleContext, shell: Instruction): Fix | null {
  const argv = shell.json;
  if (!argv || argv.length < 2 || argv.at(-1) !== "-c") return null;
  const program = argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1);
  if (!PIPEFAIL_SHELLS.test(program)) return null;
  const located = argsSourceSpan(ctx.dockerfile, shell);
  if (!located) return null;
  const next = [...argv.slice(0, -1), "-o", "pipefail", "-c"];
  return {
    description: "add -o pipefail to SHELL",
    edits: [{ ...located.span, text: `[${next.map((w) => JSON.stringify(w)).join(", ")}]` }],
  };
}

/** Lines the rule reports in this file, found once for all its findings there. */
const linesByContext = new ObjectMemo<RuleContext, Set<number>>();

function reportedLines(ctx: RuleContext): Set<number> {
  let lines = linesByContext.get(ctx);
  if (!lines) {
    lines = new Set(reportedRuns(ctx).map((h) => h.line));
    linesByContext.set(ctx, lines);
  }
  return lines;
}

interface ShellInsertion {
  description: string;
  edit: TextEdit;
}

/**
 * The SHELL line a stage without one gets (null: no fix), the same for every RUN of the stage
 * the rule reports: worked out once per stage.
 */
const insertionsByContext = new ObjectMemo<RuleContext, (ShellInsertion | null)[]>();

function insertShell(ctx: RuleContext, stage: number): Fix | null {
  let byStage = insertionsByContext.get(ctx);
  if (!byStage) {
    byStage = [];
    insertionsByContext.set(ctx, byStage);
  }
  let insertion = byStage[stage];
  if (insertion === undefined) {
    insertion = shellInsertion(ctx, stage);
    byStage[stage] = insertion;
  }
  // A fix of its own for each finding: callers may hold and compare them.
  return insertion && { description: insertion.description, edits: [{ ...insertion.edit }] };
}

function shellInsertion(ctx: RuleContext, stage: number): ShellInsertion | null {
  const df = ctx.dockerfile;
  const program = stageIsAlpine(df, stage)
    ? "/bin/ash"
    : stageUserland(df, stage) === "gnu"
      ? "/bin/bash"
      : null;
  if (!program) return null;
  // The first RUN of the stage the rule reports: the SHELL must come before it.
  const lines = reportedLines(ctx);
  const first = df.stages[stage]!.instructions.find((i) => i.keyword === "RUN" && lines.has(i.line));
  if (!first) return null;
  const at = insertionPointBefore(df, first);
  const indent = /^[ \t]*/.exec(df.source.slice(at))![0];
  const keyword = inCasingOf("SHELL", first.rawKeyword);
  return {
    description: `set SHELL to ${program} with -o pipefail`,
    edit: { start: at, end: at, text: `${indent}${keyword} ["${program}", "-o", "pipefail", "-c"]\n` },
  };
}
