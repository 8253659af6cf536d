import { basename } from "../../dockerfile/shell.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/**
 * Interactive or host-management commands make no sense in a build (hadolint DL3001).
 * hadolint's list leaves out `ifconfig` although its message names it; we include it.
 */
const POINTLESS_IN_CONTAINER = new Set([
  "free",
  "ifconfig",
  "kill",
  "mount",
  "ps",
  "service",
  "shutdown",
  "ssh",
  "top",
  "vim",
]);

export const rule: Rule = {
  code: "DL3001",
  severity: "info",
  message:
    "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
  check({ runs }) {
    return runsWhere(runs, (cmd) => POINTLESS_IN_CONTAINER.has(basename(cmd.name)), POINTLESS_IN_CONTAINER);
  },
};
