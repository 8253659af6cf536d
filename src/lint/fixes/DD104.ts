import { instructionAt, mapArgs, sourceSpan } from "../support/source-map.ts";
import type { Fixer, TextEdit } from "../types.ts";

/** DD104 (BuildKit ExposeProtoCasing): `EXPOSE 80/TCP` → `EXPOSE 80/tcp`. */
export const fixer: Fixer = {
  code: "DD104",
  fix(ctx, hit) {
    const found = instructionAt(ctx.dockerfile, hit.line, "EXPOSE");
    if (!found) return null;
    const map = mapArgs(ctx.dockerfile, found.instruction);
    if (!map) return null;
    const edits: TextEdit[] = [];
    for (const match of map.args.matchAll(/(?<=\/)(tcp|udp|sctp)(?=\s|$)/gi)) {
      if (match[0] === match[0].toLowerCase()) continue;
      edits.push({
        ...sourceSpan(map, match.index, match.index + match[0].length),
        text: match[0].toLowerCase(),
      });
    }
    return edits.length > 0 ? { description: "write the EXPOSE protocol in lower case", edits } : null;
  },
};
