import { hasAnyFlag, invokes, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `dnf install` / `microdnf install` without `-y` waits for an answer (hadolint DL3038,
 * https://github.com/hadolint/hadolint/wiki/DL3038). ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3038",
  severity: "warning",
  message: "Use the -y switch to avoid manual input `dnf install -y <package>`",
  check({ runs }) {
    const installs = ["install", "groupinstall", "localinstall"];
    return runsWhere(
      runs,
      (cmd) =>
        (invokes(cmd, "dnf", installs) || invokes(cmd, "microdnf", installs)) &&
        !hasAnyFlag(readCliArgs(cmd.args), "y", "assumeyes"),
      ["dnf", "microdnf"],
    );
  },
};
