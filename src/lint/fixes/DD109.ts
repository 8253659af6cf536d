import { hasInnerComments, instructionAt, mapArgs, sourceSpan } from "../support/source-map.ts";
import type { Fixer } from "../types.ts";

/**
 * DD109 (BuildKit LegacyKeyValueFormat): `ENV key value` → `ENV key=value`, and
 * `ENV key two words` → `ENV key="two words"` (also LABEL). In the legacy form the value is
 * the rest of the line as written; inside double quotes BuildKit still expands variables, so
 * wrapping keeps the value when it holds no quote or escape character (then no fix).
 */
export const fixer: Fixer = {
  code: "DD109",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "ENV", "LABEL");
    if (!found || hasInnerComments(ctx.dockerfile, found.outer)) return null;
    const { instruction } = found;
    const legacy = /^([^\s="'`\\]+)\s+(\S[\s\S]*)$/.exec(instruction.args);
    if (!legacy) return null;
    const [, key, value] = legacy as unknown as [string, string, string];
    if (/["'`\\]/.test(value) || value.includes(ctx.dockerfile.escape)) return null;
    const map = mapArgs(ctx.dockerfile, instruction);
    if (!map) return null;
    const text = /\s/.test(value) ? `${key}="${value}"` : `${key}=${value}`;
    return {
      description: `use ${instruction.keyword} key=value`,
      edits: [{ ...sourceSpan(map, 0, map.args.length), text }],
    };
  },
};
