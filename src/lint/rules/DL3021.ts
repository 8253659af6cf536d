import { copyOperands } from "../support/copy-args.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule } from "../types.ts";

/**
 * COPY of several sources into a destination that is not a directory (hadolint DL3021):
 * BuildKit requires the destination to end with `/` then.
 */
export const rule: Rule = {
  code: "DL3021",
  severity: "error",
  message: "COPY with more than 2 arguments requires the last argument to end with /",
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.keyword === "COPY")
      .filter((i) => {
        const operands = copyOperands(i, dockerfile.escape);
        return operands !== null && operands.sources.length > 1 && !dropQuotes(operands.dest).endsWith("/");
      })
      .map((i) => ({ line: i.line }));
  },
};
