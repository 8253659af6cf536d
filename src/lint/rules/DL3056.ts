import { formatViolations } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** A `semver` label of the schema that is not a semantic version (hadolint DL3056). */
export const rule: Rule = {
  code: "DL3056",
  severity: "warning",
  message: "Label `<label>` does not conform to semantic versioning.",
  check(ctx) {
    return formatViolations(
      ctx,
      "semver",
      (label) => `Label \`${label}\` does not conform to semantic versioning.`,
    );
  },
};
