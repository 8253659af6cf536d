import { FLAGGED_PROGRAMS, flagsCommand } from "../rules/DL3047.ts";
import { stageUserland } from "../support/image-facts.ts";
import { fixRunCommands, flaggedByRunsWhere, insertAfterWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** The commands the rule flags, asked without running the rule. */
const FLAGGED = flaggedByRunsWhere(FLAGGED_PROGRAMS, flagsCommand);

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
      ctx,
      hit.line,
      "add --progress=dot:giga to wget",
      (_cmd, words, shellRun) => [insertAfterWord(shellRun, words.name, "--progress=dot:giga")],
      FLAGGED,
    );
  },
};
