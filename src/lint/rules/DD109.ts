import { instructionWords } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's LegacyKeyValueFormat (https://docs.docker.com/reference/build-checks/legacy-key-value-format/):
 * `ENV key value` and `LABEL key value` (key, whitespace, then the rest of the line as the
 * value) is a legacy form; `key=value` is unambiguous and allows several pairs per line.
 * The legacy form is recognised as BuildKit's parser does: the first word has no `=`.
 */
export const rule: Rule = {
  code: "DD109",
  severity: "warning",
  message: "Legacy key/value format with whitespace separator should not be used",
  aliases: ["LegacyKeyValueFormat"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "ENV" && instruction.keyword !== "LABEL") continue;
      const words = instructionWords(instruction, dockerfile.escape);
      if (words.length < 2 || words[0]!.includes("=")) continue;
      const name = instruction.keyword;
      hits.push({
        line: instruction.line,
        message: `"${name} key=value" should be used instead of legacy "${name} key value" format`,
      });
    }
    return hits;
  },
};
