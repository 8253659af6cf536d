import { onlyLastTakesEffect } from "../support/passes.ts";
import type { Rule } from "../types.ts";

/**
 * More than one ENTRYPOINT in a stage: only the last one takes effect
 * (https://docs.docker.com/reference/dockerfile/#entrypoint; hadolint DL4004).
 */
export const rule: Rule = {
  code: "DL4004",
  severity: "error",
  message:
    "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
  aliases: ["MultipleInstructionsDisallowed"],
  check({ dockerfile }) {
    return onlyLastTakesEffect(dockerfile, "ENTRYPOINT");
  },
};
