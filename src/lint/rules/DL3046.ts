import { basename } from "../../dockerfile/shell.ts";
import { hasAnyFlag, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `useradd -u <high uid>` without `-l`: the lastlog/faillog files are sparse files sized by
 * the UID and can bloat the layer (https://github.com/moby/moby/issues/5419; hadolint DL3046).
 * hadolint reads only `-u <uid>`; we also read `--uid <uid>`, `--uid=<uid>` and `-u<uid>`.
 * ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3046",
  severity: "warning",
  message: "`useradd` without flag `-l` and high UID will result in excessively large Image.",
  check({ runs }) {
    return runsWhere(
      runs,
      (cmd) => {
        if (basename(cmd.name) !== "useradd") return false;
        if (hasAnyFlag(readCliArgs(cmd.args), "l", "no-log-init")) return false;
        return uidValues(cmd.args).some((uid) => uid.length > 5);
      },
      ["useradd"],
    );
  },
};

function uidValues(args: readonly string[]): string[] {
  const values: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const word = args[k]!;
    if (word === "--") break;
    if (word === "--uid" || word === "-u") values.push(args[k + 1] ?? "");
    else if (word.startsWith("--uid=")) values.push(word.slice("--uid=".length));
    else if (/^-[A-Za-z]*u/.test(word) && !word.startsWith("--")) {
      // `-u` inside a group of short options: the rest of the word, or else the next word.
      const rest = word.slice(word.indexOf("u") + 1);
      values.push(rest === "" ? (args[k + 1] ?? "") : rest);
    }
  }
  return values;
}
