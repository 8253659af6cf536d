import { FLAGGED_PROGRAMS, flagsCommand } from "../rules/DL3014.ts";
import { installWord } from "../support/apt.ts";
import { fixRunCommands, flaggedByRunsWhere, insertAfterWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** The commands the rule flags, asked without running the rule. */
const FLAGGED = flaggedByRunsWhere(FLAGGED_PROGRAMS, flagsCommand);

/** DL3014: `apt-get install x` → `apt-get install -y x`. */
export const fixer: Fixer = {
  code: "DL3014",
  fix(ctx, hit) {
    return fixRunCommands(
      ctx,
      hit.line,
      "add -y to apt-get install",
      (cmd, words, shellRun) => {
        const install = installWord(cmd, words);
        return install ? [insertAfterWord(shellRun, install, "-y")] : null;
      },
      FLAGGED,
    );
  },
};
