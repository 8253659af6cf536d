import { fromWords } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's StageNameCasing (https://docs.docker.com/reference/build-checks/stage-name-casing/):
 * stage names should be lower case, which sets them apart from instruction keywords. BuildKit
 * folds stage names to lower case, so a mixed-case name is not the name the build uses.
 */
export const rule: Rule = {
  code: "DD112",
  severity: "warning",
  message: "Stage names should be lowercase",
  aliases: ["StageNameCasing"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const { from } of dockerfile.stages) {
      const words = fromWords(from, dockerfile.escape);
      if (words.length !== 3 || words[1]!.toLowerCase() !== "as") continue;
      const name = words[2]!;
      if (name === name.toLowerCase()) continue;
      hits.push({ line: from.line, message: `Stage name '${name}' should be lowercase` });
    }
    return hits;
  },
};
