import { flagValue } from "../../dockerfile/parse.ts";
import { dropQuotes } from "../support/words.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * An external image reference rather than a stage: hadolint accepts one with a `:` tag; we
 * also accept a registry or path (`/`), a digest (`@`), and a value set by a variable, so
 * `COPY --from=ghcr.io/astral-sh/uv /uv /bin/` and `--from=$BUILDER` pass (hadolint issues
 * #859, #933, #1124).
 */
function isImageOrVariable(source: string): boolean {
  return /[:/@$]/.test(source);
}

/**
 * `COPY --from=<name>` where no earlier stage has that name (hadolint DL3022). A number
 * must be the index of a stage started so far. As in hadolint, a stage defined later does
 * not count.
 */
export const rule: Rule = {
  code: "DL3022",
  severity: "warning",
  message: "`COPY --from` should reference a previously defined `FROM` alias",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== "COPY") continue;
      const from = flagValue(instruction, "from");
      if (from === undefined || from === null) continue;
      const source = dropQuotes(from);
      if (isImageOrVariable(source)) continue;
      const stagesSoFar = dockerfile.stages.slice(0, instruction.stage + 1);
      if (stagesSoFar.some((s) => s.name === source.toLowerCase())) continue;
      if (/^\d+$/.test(source) && Number(source) < stagesSoFar.length) continue;
      hits.push({ line: instruction.line });
    }
    return hits;
  },
};
