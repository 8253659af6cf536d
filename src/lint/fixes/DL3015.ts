import { FLAGGED_PROGRAMS, rule } from "../rules/DL3015.ts";
import { installWord, isPromptFlag } from "../support/apt.ts";
import { fixRunCommands, insertAfterWord, ofPrograms } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/**
 * DL3015: `apt-get install -y x` → `apt-get install -y --no-install-recommends x`. The flag
 * goes after `install` and any `-y`/`-q` right behind it, so DL3014's and this fix give the
 * same text in either order.
 */
export const fixer: Fixer = {
  code: "DL3015",
  fix(ctx, hit) {
    return fixRunCommands(
      rule,
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
      ofPrograms(FLAGGED_PROGRAMS),
    );
  },
};
