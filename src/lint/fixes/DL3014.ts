import { FLAGGED_PROGRAMS, rule } from "../rules/DL3014.ts";
import { installWord } from "../support/apt.ts";
import { fixRunCommands, insertAfterWord, ofPrograms } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** DL3014: `apt-get install x` → `apt-get install -y x`. */
export const fixer: Fixer = {
  code: "DL3014",
  fix(ctx, hit) {
    return fixRunCommands(
      rule,
      ctx,
      hit.line,
      "add -y to apt-get install",
      (cmd, words, shellRun) => {
        const install = installWord(cmd, words);
        return install ? [insertAfterWord(shellRun, install, "-y")] : null;
      },
      ofPrograms(FLAGGED_PROGRAMS),
    );
  },
};
