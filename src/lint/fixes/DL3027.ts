import { basename } from "../../dockerfile/shell.ts";
import { APT_VALUE_FLAGS } from "../data/package-managers.ts";
import { FLAGGED_PROGRAMS, flagsCommand } from "../rules/DL3027.ts";
import { subcommandIndex } from "../support/commands.ts";
import { fixRunCommands, flaggedByRunsWhere, insertAfterWord, replaceWord } from "../support/run-edits.ts";
import type { Fixer } from "../types.ts";

/**
 * apt subcommands and the apt-get spelling that does the same (apt(8), apt-get(8)):
 * `apt upgrade` may install new dependencies, which apt-get does with `--with-new-pkgs`;
 * `apt full-upgrade` is apt-get's `dist-upgrade`. Subcommands that only apt has (list,
 * search, show, edit-sources) get no fix.
 */
const APT_GET_EQUIVALENT: Record<string, string[]> = {
  install: ["install"],
  reinstall: ["install", "--reinstall"],
  remove: ["remove"],
  purge: ["purge"],
  autoremove: ["autoremove"],
  update: ["update"],
  upgrade: ["upgrade", "--with-new-pkgs"],
  "full-upgrade": ["dist-upgrade"],
  "dist-upgrade": ["dist-upgrade"],
  clean: ["clean"],
  autoclean: ["autoclean"],
  satisfy: ["satisfy"],
  source: ["source"],
  "build-dep": ["build-dep"],
  download: ["download"],
  changelog: ["changelog"],
};

/** The commands the rule flags, asked without running the rule. */
const FLAGGED = flaggedByRunsWhere(FLAGGED_PROGRAMS, flagsCommand);

/** DL3027: `apt install x` → `apt-get install x` (subcommands apt-get has). */
export const fixer: Fixer = {
  code: "DL3027",
  fix(ctx, hit) {
    return fixRunCommands(
      ctx,
      hit.line,
      "use apt-get instead of apt",
      (cmd, words, shellRun) => {
        if (basename(cmd.name) !== "apt" || !/^(\/usr)?(\/s?bin\/)?apt$/.test(words.name.raw)) return null;
        const index = subcommandIndex(cmd, APT_VALUE_FLAGS);
        const equivalent = index === -1 ? undefined : APT_GET_EQUIVALENT[cmd.args[index]!];
        const subcommand = words.args[index];
        if (!equivalent || !subcommand) return null;
        const [name, ...extra] = equivalent;
        const edits = [replaceWord(shellRun, words.name, `${words.name.raw}-get`)];
        if (name !== cmd.args[index]) edits.push(replaceWord(shellRun, subcommand, name!));
        if (extra.length > 0) edits.push(insertAfterWord(shellRun, subcommand, extra.join(" ")));
        return edits;
      },
      FLAGGED,
    );
  },
};
