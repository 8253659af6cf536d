import { onlyLastTakesEffect } from "../support/passes.ts";
import type { Rule } from "../types.ts";

/**
 * More than one CMD in a stage: only the last one takes effect
 * (https://docs.docker.com/reference/dockerfile/#cmd; hadolint DL4003).
 */
export const rule: Rule = {
  code: "DL4003",
  severity: "warning",
  message:
    "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
  aliases: ["MultipleInstructionsDisallowed"],
  check({ dockerfile }) {
    return onlyLastTakesEffect(dockerfile, "CMD");
  },
};
