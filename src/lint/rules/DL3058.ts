import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** An `email` label of the schema that is not an RFC 5322 address (hadolint DL3058). */
export const rule: Rule = {
  code: "DL3058",
  severity: "warning",
  message: "Label `<label>` is not a valid email format - must conform to RFC5322.",
  check(ctx) {
    return formatViolations(
      ctx,
      "email",
      (label) => `Label \`${label}\` is not a valid email format - must conform to RFC5322.`,
    );
  },
};
