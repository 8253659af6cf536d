import { FLAGGED_PROGRAMS, flagsCommand } from "../rules/DL3015.ts";
import { installWord, isPromptFlag } from "../support/apt.ts";
import { fixRunCommands, flaggedByRunsWhere, insertAfterWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** The commands the rule flags, asked without running the rule. */
const FLAGGED = flaggedByRunsWhere(FLAGGED_PROGRAMS, flagsCommand);

/**
 * DL3015: `apt-get install -y x` → `apt-get install -y --no-install-recommends x`. The flag
 * goes after `install` and any `-y`/`-q` right behind it, so DL3014's and this fix give the
 * same text in either order.
 */
export const fixer: Fixer = {
  code: "DL3015",
  fix(ctx, hit) {
    return fixRunCommands(
      ctx,
      hit.line,
      "add --no-install-recommends to apt-get install",
      (cmd, words, shellRun) => {
        const install = installWord(cmd, words);
        if (!install) return null;
        let after = install;
        const start = words.args.indexOf(install);
        for (let k = start + 1; k < words.args.length && isPromptFlag(cmd.args[k]!); k++)
          after = words.args[k]!;
        return [insertAfterWord(shellRun, after, "--no-install-recommends")];
      },
      FLAGGED,
    );
  },
};
