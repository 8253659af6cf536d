import { hasAnyFlag, invokes, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * zypper commands that ask for confirmation need a non-interactive switch (hadolint DL3034,
 * https://en.opensuse.org/SDB:Zypper_manual). ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3034",
  severity: "warning",
  message: "Non-interactive switch missing from `zypper` command: `zypper install -y`",
  check({ runs }) {
    const asking = ["install", "in", "remove", "rm", "source-install", "si", "patch"];
    return runsWhere(
      runs,
      (cmd) =>
        invokes(cmd, "zypper", asking) &&
        !hasAnyFlag(readCliArgs(cmd.args), "non-interactive", "n", "no-confirm", "y"),
      ["zypper"],
    );
  },
};
