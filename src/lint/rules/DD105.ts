import { fromWords } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's FromAsCasing (https://docs.docker.com/reference/build-checks/from-as-casing/):
 * in `FROM image AS name`, the `AS` keyword should have the casing of `FROM` (`FROM ... AS`,
 * `from ... as`). A FROM keyword of mixed casing is ConsistentInstructionCasing's business,
 * so it is skipped here, as in BuildKit.
 */
export const rule: Rule = {
  code: "DD105",
  severity: "warning",
  message: "The 'as' keyword should match the case of the 'from' keyword",
  aliases: ["FromAsCasing"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const { from } of dockerfile.stages) {
      const as = fromWords(from, dockerfile.escape)[1];
      if (as === undefined || as.toLowerCase() !== "as") continue;
      const keyword = from.rawKeyword;
      const expected =
        keyword === keyword.toLowerCase() ? "as" : keyword === keyword.toUpperCase() ? "AS" : null;
      if (expected === null || as === expected) continue;
      hits.push({ line: from.line, message: `'${as}' and '${keyword}' keywords' casing do not match` });
    }
    return hits;
  },
};
