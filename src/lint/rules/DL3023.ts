import { flagValue } from "../../dockerfile/parse.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule } from "../types.ts";

/** `COPY --from=<name>` naming the stage it is in (hadolint DL3023); names are case-insensitive. */
export const rule: Rule = {
  code: "DL3023",
  severity: "error",
  message: "`COPY --from` cannot reference its own `FROM` alias",
  check({ dockerfile }) {
    return dockerfile.instructions
      .filter((i) => {
        if (i.keyword !== "COPY") return false;
        const from = flagValue(i, "from");
        const ownName = dockerfile.stages[i.stage]?.name;
        return typeof from === "string" && ownName != null && dropQuotes(from).toLowerCase() === ownName;
      })
      .map((i) => ({ line: i.line }));
  },
};
