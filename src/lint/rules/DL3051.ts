import { badLabelValues } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** A label of the schema set to an empty value (hadolint DL3051; message as hadolint's). */
export const rule: Rule = {
  code: "DL3051",
  severity: "warning",
  message: "label `<label>` is empty.",
  check(ctx) {
    return badLabelValues(
      ctx,
      "any",
      (value) => value === "",
      (label) => `label \`${label}\` is empty.`,
    );
  },
};
