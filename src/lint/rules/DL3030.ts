import { hasAnyFlag, invokes, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `yum install` without `-y` waits for an answer that never comes (hadolint DL3030,
 * https://github.com/hadolint/hadolint/wiki/DL3030). ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3030",
  severity: "warning",
  message: "Use the -y switch to avoid manual input `yum install -y <package>`",
  check({ runs }) {
    return runsWhere(
      runs,
      (cmd) =>
        invokes(cmd, "yum", ["install", "groupinstall", "localinstall"]) &&
        !hasAnyFlag(readCliArgs(cmd.args), "y", "assumeyes"),
      ["yum"],
    );
  },
};
