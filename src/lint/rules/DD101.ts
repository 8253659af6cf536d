import type { Instruction } from "../../dockerfile/parse.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's ConsistentInstructionCasing
 * (https://docs.docker.com/reference/build-checks/consistent-instruction-casing/): every
 * instruction keyword should be all upper case or all lower case, following the majority of
 * the file. Like BuildKit, it counts the FROM lines and the instructions of stages (global
 * ARGs before the first FROM are neither counted nor checked); a tie goes to upper case.
 */
export const rule: Rule = {
  code: "DD101",
  severity: "warning",
  message: "All instruction keywords should use the same casing (all upper or all lower case)",
  aliases: ["ConsistentInstructionCasing"],
  check({ dockerfile }) {
    const keywords = dockerfile.instructions.filter((i) => i.stage >= 0);
    let lower = 0;
    let upper = 0;
    for (const { rawKeyword } of keywords) {
      if (rawKeyword === rawKeyword.toLowerCase()) lower++;
      else if (rawKeyword === rawKeyword.toUpperCase()) upper++;
    }
    const majority = lower > upper ? "lowercase" : "uppercase";
    return keywords.filter((i) => !matchesCasing(i, majority)).map((i) => hitFor(i, majority));
  },
};

function matchesCasing({ rawKeyword }: Instruction, casing: "lowercase" | "uppercase"): boolean {
  return rawKeyword === (casing === "lowercase" ? rawKeyword.toLowerCase() : rawKeyword.toUpperCase());
}

function hitFor(instruction: Instruction, casing: string): RuleHit {
  return {
    line: instruction.line,
    message: `Command '${instruction.rawKeyword}' should match the case of the command majority (${casing})`,
  };
}
