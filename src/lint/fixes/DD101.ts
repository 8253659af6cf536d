import { instructionAt, keywordSpan } from "../support/source-map.ts";
import type { Fixer } from "../types.ts";

/**
 * DD101 (BuildKit ConsistentInstructionCasing): spell the keyword in the casing of the file's
 * majority, which the rule's message names (upper case when it does not).
 */
export const fixer: Fixer = {
  code: "DD101",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line);
    if (!found) return null;
    const { outer } = found;
    const span = keywordSpan(ctx.dockerfile, outer);
    if (!span) return null;
    const lower = /\(lowercase\)/.test(hit.message);
    const text = lower ? outer.rawKeyword.toLowerCase() : outer.rawKeyword.toUpperCase();
    if (text === outer.rawKeyword) return null;
    return {
      description: `write ${outer.keyword} in ${lower ? "lower" : "upper"} case`,
      edits: [{ ...span, text }],
    };
  },
};
