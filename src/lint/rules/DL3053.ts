import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** An `rfc3339` label of the schema that is not an RFC 3339 date-time (hadolint DL3053). */
export const rule: Rule = {
  code: "DL3053",
  severity: "warning",
  message: "Label `<label>` is not a valid time format - must conform to RFC3339.",
  check(ctx) {
    return formatViolations(
      ctx,
      "rfc3339",
      (label) => `Label \`${label}\` is not a valid time format - must conform to RFC3339.`,
    );
  },
};
