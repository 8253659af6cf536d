import { copyOperands } from "../support/copy-args.ts";
import { parentStages } from "../support/stages.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * COPY to a relative destination before any WORKDIR in the stage (or in the stage it builds
 * on): the destination then depends on the base image's WORKDIR (hadolint DL3045).
 * Absolute (`/x`, `C:\x`, `c:/x`) and variable destinations are fine. Like hadolint, ONBUILD
 * COPY is not checked: its WORKDIR is the child image's.
 */
export const rule: Rule = {
  code: "DL3045",
  severity: "warning",
  message: "`COPY` to a relative destination without `WORKDIR` set.",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    const parents = parentStages(dockerfile);
    const workdirSet = new Map<number, boolean>();
    for (const instruction of dockerfile.instructions) {
      const stage = instruction.stage;
      if (instruction.keyword === "FROM") {
        const parent = parents[stage];
        workdirSet.set(stage, parent !== null && parent !== undefined && workdirSet.get(parent) === true);
      } else if (instruction.keyword === "WORKDIR") {
        workdirSet.set(stage, true);
      } else if (instruction.keyword === "COPY" && workdirSet.get(stage) !== true) {
        const dest = copyOperands(instruction, dockerfile.escape)?.dest;
        if (dest !== undefined && isRelative(dropQuotes(dest))) hits.push({ line: instruction.line });
      }
    }
    return hits;
  },
};

function isRelative(path: string): boolean {
  return !(path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.startsWith("$"));
}
