import { labels } from "../support/labels.ts";
import type { Rule } from "../types.ts";

/** With `strict-labels`, a LABEL outside the label schema (hadolint DL3050). */
export const rule: Rule = {
  code: "DL3050",
  severity: "info",
  message: "Superfluous label(s) present.",
  check(ctx) {
    if (!ctx.settings.strictLabels) return [];
    const schema = ctx.settings.labelSchema;
    return labels(ctx)
      .filter(({ pairs }) => pairs.some((p) => !Object.hasOwn(schema, p.key)))
      .map(({ instruction }) => ({ line: instruction.line }));
  },
};
