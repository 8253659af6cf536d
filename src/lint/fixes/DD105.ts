import { instructionAt, mapArgs, sourceSpan } from "../support/source-map.ts";
import type { Fixer } from "../types.ts";

/** DD105 (BuildKit FromAsCasing): `FROM image as name` → `FROM image AS name` (and `from … as`). */
export const fixer: Fixer = {
  code: "DD105",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "FROM");
    if (!found || found.instruction !== found.outer) return null;
    const from = found.outer;
    const keyword = from.rawKeyword;
    const expected =
      keyword === keyword.toLowerCase() ? "as" : keyword === keyword.toUpperCase() ? "AS" : null;
    const words = /^(\S+\s+)(as)(?=\s)/i.exec(from.args);
    const map = mapArgs(ctx.dockerfile, from);
    if (!expected || !words || !map || words[2] === expected) return null;
    const at = words[1]!.length;
    return {
      description: `write '${expected}' like '${keyword}'`,
      edits: [{ ...sourceSpan(map, at, at + 2), text: expected }],
    };
  },
};
