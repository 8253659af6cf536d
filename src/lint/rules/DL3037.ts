import { ZYPPER_VALUE_FLAGS } from "../data/package-managers.ts";
import { invokes, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `zypper install` of a package without a version (hadolint DL3037): pinned means
 * `name=1.0`, a comparison (`name>=1.0`, quoted or escaped in the shell) or an `.rpm` file.
 * ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3037",
  severity: "warning",
  message: "Specify version with `zypper install -y <package>=<version>`.",
  check({ runs }) {
    const pinned = (pkg: string) => /[=<>]/.test(pkg) || pkg.endsWith(".rpm");
    return runsWhere(
      runs,
      (cmd) => {
        if (!invokes(cmd, "zypper", ["install", "in"])) return false;
        const packages = readCliArgs(cmd.args, ZYPPER_VALUE_FLAGS).positional.filter(
          (a) => a !== "install" && a !== "in",
        );
        return packages.some((pkg) => !pinned(pkg));
      },
      ["zypper"],
    );
  },
};
