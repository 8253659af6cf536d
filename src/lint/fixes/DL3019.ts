import { FLAGGED_PROGRAMS, flagsCommand } from "../rules/DL3019.ts";
import { apkAddIndex } from "../support/apk.ts";
import { fixRunCommands, flaggedByRunsWhere, insertAfterWord, replaceWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** The commands the rule flags, asked without running the rule. */
const FLAGGED = flaggedByRunsWhere(FLAGGED_PROGRAMS, flagsCommand);

/**
 * DL3019: `apk add x` → `apk add --no-cache x`. With `--no-cache` apk fetches the index into
 * a temporary cache (what `--update` did) and leaves nothing behind, so a standalone
 * `--update`/`-U`/`--update-cache` word is replaced rather than kept beside it.
 */
export const fixer: Fixer = {
  code: "DL3019",
  fix(ctx, hit) {
    return fixRunCommands(
      ctx,
      hit.line,
      "add --no-cache to apk add",
      (cmd, words, shellRun) => {
        const update = cmd.args.findIndex((a) => a === "--update" || a === "-U" || a === "--update-cache");
        if (update !== -1) return [replaceWord(shellRun, words.args[update]!, "--no-cache")];
        const add = apkAddIndex(cmd);
        if (add === -1) return null;
        return [insertAfterWord(shellRun, words.args[add]!, "--no-cache")];
      },
      FLAGGED,
    );
  },
};
