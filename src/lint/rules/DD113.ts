import { flagValue } from "../../dockerfile/parse.ts";
import { expandWord, suggestName } from "../support/expand.ts";
import { fromWords, globalArgNames, PREDEFINED_PLATFORM_ARGS } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's UndefinedArgInFrom (https://docs.docker.com/reference/build-checks/undefined-arg-in-from/):
 * a FROM (image or `--platform`) may only use ARGs declared before the first FROM, or the
 * platform ARGs BuildKit predefines (BUILDPLATFORM, TARGETARCH, ...). Any other variable is
 * always empty there, whatever `--build-arg` says, and is usually a typo or an ARG declared
 * in a stage instead of globally.
 */
export const rule: Rule = {
  code: "DD113",
  severity: "warning",
  message: "FROM command must use declared ARGs",
  aliases: ["UndefinedArgInFrom"],
  check({ dockerfile }) {
    const known = new Set([...globalArgNames(dockerfile), ...PREDEFINED_PLATFORM_ARGS.keys()]);
    const lookup = (name: string) => (known.has(name) ? "" : undefined);
    const hits: RuleHit[] = [];
    for (const { from } of dockerfile.stages) {
      const words = [fromWords(from, dockerfile.escape)[0] ?? "", flagValue(from, "platform") ?? ""];
      const undeclared = new Set<string>();
      for (const word of words) {
        for (const name of expandWord(word, lookup, { escape: dockerfile.escape }).unmatched)
          undeclared.add(name);
      }
      for (const name of undeclared) {
        const suggestion = suggestName(name, known);
        hits.push({
          line: from.line,
          message: `FROM argument '${name}' is not declared${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
        });
      }
    }
    return hits;
  },
};
