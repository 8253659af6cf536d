/**
 * How hadolint's stateful rules walk a Dockerfile: the top-level instructions, then the
 * ONBUILD triggers as a pass of their own; and the variables defined so far in a pass.
 */
import type { Dockerfile, Instruction } from "../../dockerfile/parse.ts";
import { objectList } from "../../dockerfile/shapes.ts";
import type { RuleContext, RunInfo } from "../types.ts";
import { ObjectMemo } from "./memo.ts";
import { argNames, type EscapeChar, keyValues } from "./words.ts";

/**
 * One instruction as a stateful rule walks it. hadolint runs most RUN rules twice
 * (`rule <> onbuild rule` in hadolint's src/Hadolint/Rule/DLxxxx.hs): once over the
 * top-level instructions, and once, with fresh state, over the triggers of ONBUILD alone
 * (which run in a child image, so the parent's FROM/ENV/ARG do not apply to them).
 */
export interface Step {
  /** The instruction as the rule sees it: in the ONBUILD pass, the wrapped trigger. */
  instruction: Instruction;
  /** Line to report: the instruction's own, or that of the ONBUILD wrapping it. */
  line: number;
  /** The parsed RUN, when the instruction is a RUN. */
  run: RunInfo | undefined;
}

export interface Pass {
  onbuild: boolean;
  steps: Step[];
}

function runsByInstruction(runs: readonly RunInfo[]): Map<Instruction, RunInfo> {
  return new Map(runs.map((run) => [run.instruction, run]));
}

/** Top-level instructions in order; an ONBUILD stays an ONBUILD (it is no RUN, ENV, ...). */
export function topLevelSteps(ctx: RuleContext): Step[] {
  return passes(ctx)[0]!.steps;
}

/** The triggers of every ONBUILD, unwrapped, in order. */
export function onbuildSteps(ctx: RuleContext): Step[] {
  return passes(ctx)[1]!.steps;
}

// Several rules walk the same passes of a file; parsing results never change.
const passesCache = new ObjectMemo<RuleContext, Pass[]>();

/** Both passes, each to be folded with its own state (built once per file; do not modify). */
export function passes(ctx: RuleContext): Pass[] {
  let both = passesCache.get(ctx);
  if (!both) {
    const byInstruction = runsByInstruction(ctx.runs);
    // Both lists have one map, though the ONBUILD one is mostly empty: rules loop over both.
    const topLevel = objectList<Step>();
    const onbuild = objectList<Step>();
    for (const i of ctx.dockerfile.instructions) {
      topLevel.push({ instruction: i, line: i.line, run: byInstruction.get(i) });
      const trigger = i.onbuild;
      if (trigger !== undefined)
        onbuild.push({ instruction: trigger, line: i.line, run: byInstruction.get(trigger) });
    }
    both = [
      { onbuild: false, steps: topLevel },
      { onbuild: true, steps: onbuild },
    ];
    passesCache.set(ctx, both);
  }
  return both;
}

/**
 * Variables a Dockerfile has defined so far, as hadolint's DL3033/DL3041 track them: ARGs
 * from anywhere earlier in the file, and ENVs of the current stage, a stage inheriting the
 * ENVs of the stage it builds on. Feed it every step of one pass, in order.
 */
export class DefinedVariables {
  private readonly args = new Set<string>();
  private readonly envsByStage = new Map<number, Set<string>>();
  private current = -1;
  private readonly parents: (number | null)[];
  private readonly escapeChar: EscapeChar;

  /** @param parents what parentStages (./stages.ts) gives for the Dockerfile */
  constructor(parents: (number | null)[], escapeChar: EscapeChar = "\\") {
    this.parents = parents;
    this.escapeChar = escapeChar;
  }

  step(step: Step): void {
    const i = step.instruction;
    if (i.keyword === "FROM") {
      this.current = i.stage;
      const parent = this.parents[i.stage];
      const inherited = parent === null || parent === undefined ? undefined : this.envsByStage.get(parent);
      this.envsByStage.set(i.stage, new Set(inherited));
    } else if (i.keyword === "ENV") {
      const envs = this.envsByStage.get(this.current) ?? new Set<string>();
      for (const { key } of keyValues(i, this.escapeChar)) envs.add(key);
      this.envsByStage.set(this.current, envs);
    } else if (i.keyword === "ARG") {
      for (const name of argNames(i, this.escapeChar)) this.args.add(name);
    }
  }

  names(): string[] {
    return [...this.args, ...(this.envsByStage.get(this.current) ?? [])];
  }
}

/** Every top-level `keyword` after the first one in its stage (hadolint DL4003/DL4004). */
export function onlyLastTakesEffect(df: Dockerfile, keyword: string): { line: number }[] {
  const seen = new Set<number>();
  const hits: { line: number }[] = [];
  for (const instruction of df.instructions) {
    if (instruction.keyword !== keyword) continue;
    if (seen.has(instruction.stage)) hits.push({ line: instruction.line });
    seen.add(instruction.stage);
  }
  return hits;
}
