import type { Rule } from "../types.ts";

/**
 * BuildKit's NoEmptyContinuation (https://docs.docker.com/reference/build-checks/no-empty-continuation/):
 * an empty line inside a backslash continuation is skipped today, but Docker has announced it
 * will become a syntax error, and it usually hides a forgotten line. Reported on the
 * instruction's first line (BuildKit reports its last).
 */
export const rule: Rule = {
  code: "DD110",
  severity: "warning",
  message: "Empty continuation line",
  aliases: ["NoEmptyContinuation"],
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => i.emptyContinuationLines.length > 0)
      .map((i) => {
        const plural = i.emptyContinuationLines.length > 1 ? "s" : "";
        return {
          line: i.line,
          message: `Empty continuation line${plural} (line${plural} ${i.emptyContinuationLines.join(", ")})`,
        };
      });
  },
};
