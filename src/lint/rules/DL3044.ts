import { referencesVariable } from "../support/expand.ts";
import { argNames, keyValues } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * An ENV that uses, in one pair, a variable another pair of the same ENV defines: the
 * value is the one from before the ENV, not the new one
 * (https://docs.docker.com/reference/dockerfile/#environment-replacement; hadolint DL3044).
 * Fine when the variable was already defined by an earlier ENV or ARG, or when a pair refers
 * to itself (`PATH=/x:$PATH`). `${NAME:-default}` forms count as references too.
 */
export const rule: Rule = {
  code: "DL3044",
  severity: "error",
  message: "Do not refer to an environment variable within the same `ENV` statement where it is defined.",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    const defined = new Set<string>();
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword === "ARG")
        for (const name of argNames(instruction, dockerfile.escape)) defined.add(name);
      if (instruction.keyword !== "ENV") continue;
      const pairs = keyValues(instruction, dockerfile.escape);
      const refersToNew = pairs.some(
        ({ key }, k) =>
          !defined.has(key) && pairs.some((other, j) => j !== k && referencesVariable(other.value, key)),
      );
      if (refersToNew) hits.push({ line: instruction.line });
      for (const { key } of pairs) defined.add(key);
    }
    return hits;
  },
};
