import { inCasingOf, instructionAt } from "../support/source-map.ts";
import type { Fixer } from "../types.ts";

/**
 * DL4000: `MAINTAINER Jane <jane@example.com>` → `LABEL maintainer="Jane <jane@example.com>"`
 * (the replacement the Dockerfile reference gives). MAINTAINER takes its text literally, while
 * a double-quoted LABEL value expands variables and escapes, so `"`, `$` and the escape
 * character are escaped.
 */
export const fixer: Fixer = {
  code: "DL4000",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "MAINTAINER");
    // ONBUILD MAINTAINER is not allowed at all (DL3043); nothing to keep.
    if (!found || found.instruction !== found.outer || found.outer.line !== found.outer.endLine) return null;
    const { outer } = found;
    const escapeChar = ctx.dockerfile.escape;
    const value = [...outer.args]
      .map((c) => (c === '"' || c === "$" || c === escapeChar ? escapeChar + c : c))
      .join("");
    const indent = /^[ \t]*/.exec(ctx.dockerfile.source.slice(outer.start))![0];
    return {
      description: "replace MAINTAINER with a maintainer LABEL",
      edits: [
        {
          start: outer.start,
          end: outer.end,
          text: `${indent}${inCasingOf("LABEL", outer.rawKeyword)} maintainer="${value}"`,
        },
      ],
    };
  },
};
