import { aptGetInstall, aptGetPackages } from "../support/apt.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `apt-get install` of a package without `=version` (hadolint DL3008). Accepted as pinned,
 * like hadolint: `pkg=version`, `pkg/release`, a path, a `.deb` file. Values of options such
 * as `-t`/`--target-release` and `-o` are not packages.
 */
function isPinned(pkg: string): boolean {
  return pkg.includes("=") || pkg.includes("/") || pkg.endsWith(".deb");
}

export const rule: Rule = {
  code: "DL3008",
  severity: "warning",
  message:
    "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
  check({ runs }) {
    return runsWhere(
      runs,
      (cmd) => {
        const install = aptGetInstall(cmd);
        return install !== null && !aptGetPackages(install).every(isPinned);
      },
      ["apt-get"],
    );
  },
};
