import type { Instruction } from "../../dockerfile/parse.ts";
import { mapToList } from "../../dockerfile/shapes.ts";
import { topLevelSteps } from "../support/passes.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";

/**
 * Consecutive RUNs that could be one layer (hadolint DL3059). Comments between them do not
 * matter; any other instruction does. As in hadolint, a pair is left alone when their flags
 * (`--mount`, `--network`, ...) differ or when either RUN already runs more than one command
 * (then the split is deliberate). We also leave heredoc RUNs alone: a `RUN <<EOF` script is
 * a unit of its own (hadolint#805). ONBUILD RUNs are not checked, as in hadolint.
 */
export const rule: Rule = {
  code: "DL3059",
  severity: "info",
  message: "Multiple consecutive `RUN` instructions. Consider consolidation.",
  check(ctx) {
    const hits: RuleHit[] = [];
    let previous: { flags: string; commands: number } | null = null;
    for (const { instruction, line, run } of topLevelSteps(ctx)) {
      if (!run) {
        previous = null;
        continue;
      }
      const current = { flags: flagKey(instruction), commands: commandCount(run) };
      if (previous && previous.flags === current.flags && previous.commands <= 1 && current.commands <= 1) {
        hits.push({ line });
      }
      previous = current;
    }
    return hits;
  },
};

/** Flags compared as a set, so the order of `--mount` options does not matter. */
function flagKey(instruction: Instruction): string {
  // Most RUNs have no flags: no list to build, sort and join.
  if (instruction.flags.length === 0) return "";
  return mapToList(instruction.flags, (f) => `${f.name}=${f.value ?? ""}`)
    .sort()
    .join("\n");
}

function commandCount(run: RunInfo): number {
  if (run.instruction.heredocs.length > 0) return Number.POSITIVE_INFINITY;
  let count = 0;
  for (const cmd of run.commands) if (cmd.name !== "") count++;
  return count;
}
