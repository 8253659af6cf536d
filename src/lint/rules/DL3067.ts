import { flagValue } from "../../dockerfile/parse.ts";
import { copyOperands } from "../support/copy-args.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule } from "../types.ts";

/**
 * `COPY --from=<stage> / /` copies a whole filesystem over the current one (hadolint DL3067).
 */
export const rule: Rule = {
  code: "DL3067",
  severity: "warning",
  message: "Do not copy an entire filesystem from another stage",
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.keyword === "COPY" && flagValue(i, "from") !== undefined)
      .filter((i) => {
        const operands = copyOperands(i, dockerfile.escape);
        return (
          operands !== null &&
          dropQuotes(operands.dest) === "/" &&
          operands.sources.some((source) => dropQuotes(source) === "/")
        );
      })
      .map((i) => ({ line: i.line }));
  },
};
