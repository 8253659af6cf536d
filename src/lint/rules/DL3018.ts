import { apkAdd } from "../support/apk.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** `pkg=1.2`, `pkg~1.2`, `pkg>=1.2`, `pkg<2`, or a local `.apk` file. */
function isPinned(pkg: string): boolean {
  return /[=~<>]/.test(pkg) || pkg.endsWith(".apk");
}

/**
 * `apk add <package>` without a version constraint (hadolint DL3018). The name given to
 * `--virtual`/`-t` and repository URLs (`-X`, `--repository`) are not packages.
 */
export const rule: Rule = {
  code: "DL3018",
  severity: "warning",
  message: "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
  check({ runs }) {
    return runsWhere(
      runs,
      (cmd) => {
        const add = apkAdd(cmd);
        return add !== null && !add.positional.filter((p) => p !== "add").every(isPinned);
      },
      ["apk"],
    );
  },
};
