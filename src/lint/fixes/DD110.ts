import { instructionAt, lineStarts } from "../support/source-map.ts";
import type { Fixer } from "../types.ts";

/** DD110 (BuildKit NoEmptyContinuation): delete the empty lines inside a continuation. */
export const fixer: Fixer = {
  code: "DD110",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line);
    if (!found || found.outer.emptyContinuationLines.length === 0) return null;
    const starts = lineStarts(ctx.dockerfile);
    return {
      description: "remove empty continuation lines",
      edits: found.outer.emptyContinuationLines.map((line) => ({
        start: starts[line - 1]!,
        end: starts[line] ?? ctx.dockerfile.source.length,
        text: "",
      })),
    };
  },
};
