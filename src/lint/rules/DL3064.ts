import type { Instruction } from "../../dockerfile/parse.ts";
import { mapToList, objectList } from "../../dockerfile/shapes.ts";
import { hadolintSensitive } from "../data/secrets.ts";
import { argNames, type EscapeChar, keyValues } from "../support/words.ts";
import type { Rule } from "../types.ts";

function declaredNames(instruction: Instruction, escapeChar: EscapeChar): string[] {
  if (instruction.keyword === "ARG") return argNames(instruction, escapeChar);
  if (instruction.keyword === "ENV") return mapToList(keyValues(instruction, escapeChar), (p) => p.key);
  return objectList();
}

/**
 * ARG and ENV values stay in the image history and metadata; secrets belong in
 * `RUN --mount=type=secret` (https://docs.docker.com/build/building/secrets/; hadolint DL3064).
 * ONBUILD ARG/ENV included.
 */
export const rule: Rule = {
  code: "DL3064",
  severity: "warning",
  message: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
  aliases: ["SecretsUsedInArgOrEnv"],
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((outer) => declaredNames(outer.onbuild ?? outer, dockerfile.escape).some(hadolintSensitive))
      .map((outer) => ({ line: outer.line }));
  },
};
