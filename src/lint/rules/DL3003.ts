import { basename } from "../../dockerfile/shell.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * `cd` in RUN instead of WORKDIR (hadolint DL3003). We also check ONBUILD RUN, which
 * hadolint skips for this rule only: `ONBUILD WORKDIR` is the same fix there.
 */
export const rule: Rule = {
  code: "DL3003",
  severity: "warning",
  message: "Use WORKDIR to switch to a directory",
  check({ runs }) {
    return runsWhere(runs, (cmd) => basename(cmd.name) === "cd", ["cd"]);
  },
};
