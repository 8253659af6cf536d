import { FLAGGED_PROGRAMS, rule } from "../rules/DL3047.ts";
import { stageUserland } from "../support/image-facts.ts";
import { fixRunCommands, insertAfterWord, ofPrograms } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/**
 * DL3047: `wget URL` → `wget --progress=dot:giga URL`. GNU wget only: BusyBox wget (Alpine,
 * busybox images) rejects `--progress`, so stages on those bases get no fix.
 */
export const fixer: Fixer = {
  code: "DL3047",
  fix(ctx, hit) {
    const run = ctx.runs.find((r) => r.outer.line === hit.line);
    if (!run || run.outer !== run.instruction || stageUserland(ctx.dockerfile, run.outer.stage) !== "gnu") {
      return null;
    }
    return fixRunCommands(
      rule,
      ctx,
      hit.line,
      "add --progress=dot:giga to wget",
      (_cmd, words, shellRun) => [insertAfterWord(shellRun, words.name, "--progress=dot:giga")],
      ofPrograms(FLAGGED_PROGRAMS),
    );
  },
};
