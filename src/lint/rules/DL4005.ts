import { invokes, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * Relinking /bin/sh to change the shell; the SHELL instruction does that
 * (https://docs.docker.com/reference/dockerfile/#shell; hadolint DL4005). ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL4005",
  severity: "warning",
  message: "Use SHELL to change the default shell",
  check({ runs }) {
    return runsWhere(runs, (cmd) => invokes(cmd, "ln", ["/bin/sh"]), ["ln"]);
  },
};
