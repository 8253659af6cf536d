import { basename } from "../../dockerfile/shell.ts";
import { isPipInstall, rule } from "../rules/DL3042.ts";
import { fixRunCommands, flaggedByRule, insertAfterWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/** The rule reads the stage's ENV too: it is asked about each `pip install` alone. */
const FLAGGED = flaggedByRule(rule, isPipInstall);

/**
 * DL3042: `pip install x` → `pip install --no-cache-dir x` (also `python -m pip install`).
 * The flag goes right after `install`, where every pip version reads install options.
 */
export const fixer: Fixer = {
  code: "DL3042",
  fix(ctx, hit) {
    return fixRunCommands(
      ctx,
      hit.line,
      "add --no-cache-dir to pip install",
      (cmd, words, shellRun) => {
        const name = basename(cmd.name);
        let from = 0;
        if (name.startsWith("python")) {
          const m = cmd.args.findIndex((a, k) => a === "-m" && cmd.args[k + 1] === "pip");
          if (m === -1) return null;
          from = m + 2;
        } else if (!name.startsWith("pip")) return null;
        const index = cmd.args.indexOf("install", from);
        // Only options may stand between pip and `install` (`pip -q install`).
        if (index === -1 || cmd.args.slice(from, index).some((a) => !a.startsWith("-"))) return null;
        return [insertAfterWord(shellRun, words.args[index]!, "--no-cache-dir")];
      },
      FLAGGED,
    );
  },
};
