import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** A `hash` label of the schema that is not a git commit id (hadolint DL3055). */
export const rule: Rule = {
  code: "DL3055",
  severity: "warning",
  message: "Label `<label>` is not a valid git hash.",
  check(ctx) {
    return formatViolations(ctx, "hash", (label) => `Label \`${label}\` is not a valid git hash.`);
  },
};
