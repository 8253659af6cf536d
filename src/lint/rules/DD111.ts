import type { Instruction } from "../../dockerfile/parse.ts";
import { buildkitSensitive, hadolintSensitive } from "../data/secrets.ts";
import { argNames, type EscapeChar, envKeys } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * BuildKit's SecretsUsedInArgOrEnv (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/):
 * ARG and ENV values stay in the image metadata and history, so secrets belong in
 * `RUN --mount=type=secret`. BuildKit flags a key when one of its `_`-separated words is
 * apikey, auth, credential(s), key, password, pword, passwd, secret or token, unless a word
 * is public, file or version.
 *
 * hadolint's DL3064 (also aliased SecretsUsedInArgOrEnv) covers part of this with another
 * list (substrings like `password`, `token`, `secret`, plus known names). This rule reports
 * only the instructions BuildKit flags and DL3064 does not (`SSH_KEY`, `NPM_AUTH`,
 * `DB_PASSWD`, ...), so each instruction is reported once. Like BuildKit, it looks at ARG
 * and ENV inside stages (BuildKit does not check global ARGs).
 */
export const rule: Rule = {
  code: "DD111",
  severity: "warning",
  message: "Sensitive data should not be used in the ARG or ENV commands",
  aliases: ["SecretsUsedInArgOrEnv"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.stage < 0) continue;
      const keys = declaredKeys(instruction, dockerfile.escape);
      if (keys.length === 0 || keys.some(hadolintSensitive)) continue;
      for (const key of keys.filter(buildkitSensitive)) {
        hits.push({
          line: instruction.line,
          message: `Do not use ARG or ENV instructions for sensitive data (${instruction.keyword} "${key}")`,
        });
      }
    }
    return hits;
  },
};

/** Keys an ARG or ENV sets. */
function declaredKeys(instruction: Instruction, escapeChar: EscapeChar): string[] {
  if (instruction.keyword === "ARG") return argNames(instruction, escapeChar);
  return instruction.keyword === "ENV" ? envKeys(instruction, escapeChar) : [];
}
