import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** An `spdx` label of the schema that is not an SPDX license expression (hadolint DL3054). */
export const rule: Rule = {
  code: "DL3054",
  severity: "warning",
  message: "Label `<label>` is not a valid SPDX identifier.",
  check(ctx) {
    return formatViolations(ctx, "spdx", (label) => `Label \`${label}\` is not a valid SPDX identifier.`);
  },
};
