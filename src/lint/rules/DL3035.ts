import { invokes, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** `zypper dist-upgrade` in a build (hadolint DL3035). ONBUILD RUN included. */
export const rule: Rule = {
  code: "DL3035",
  severity: "warning",
  message: "Do not use `zypper dist-upgrade`.",
  check({ runs }) {
    return runsWhere(runs, (cmd) => invokes(cmd, "zypper", ["dist-upgrade", "dup"]), ["zypper"]);
  },
};
