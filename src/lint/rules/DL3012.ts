import type { Rule, RuleHit } from "../types.ts";

/**
 * More than one HEALTHCHECK in a stage (hadolint DL3012): only the last one takes effect.
 * Each extra one is reported.
 */
export const rule: Rule = {
  code: "DL3012",
  severity: "error",
  message: "Multiple `HEALTHCHECK` instructions",
  aliases: ["MultipleInstructionsDisallowed"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    const seenInStage = new Set<number>();
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "HEALTHCHECK") continue;
      if (seenInStage.has(instruction.stage)) hits.push({ line: instruction.line });
      seenInStage.add(instruction.stage);
    }
    return hits;
  },
};
