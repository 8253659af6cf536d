import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** A `url` label of the schema that is not an absolute URI (hadolint DL3052). */
export const rule: Rule = {
  code: "DL3052",
  severity: "warning",
  message: "Label `<label>` is not a valid URL.",
  check(ctx) {
    return formatViolations(ctx, "url", (label) => `Label \`${label}\` is not a valid URL.`);
  },
};
