import { basename } from "../../dockerfile/shell.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** `sudo` anywhere in a RUN or ONBUILD RUN command list (hadolint DL3004). */
export const rule: Rule = {
  code: "DL3004",
  severity: "error",
  message: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
  check({ runs }) {
    return runsWhere(runs, (cmd) => basename(cmd.name) === "sudo", ["sudo"]);
  },
};
