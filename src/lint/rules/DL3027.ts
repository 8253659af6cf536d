import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** The only programs whose commands this rule flags (the fixer asks only these). */
export const FLAGGED_PROGRAMS: readonly string[] = ["apt"];

/** The rule's test of one command (its fixer asks it about each command of a flagged RUN). */
export function flagsCommand(cmd: ShellCommand): boolean {
  return basename(cmd.name) === "apt";
}

/** `apt` in RUN (hadolint DL3027): its interface is for humans and not stable for scripts. */
export const rule: Rule = {
  code: "DL3027",
  severity: "warning",
  message: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
  check({ runs }) {
    return runsWhere(runs, flagsCommand, FLAGGED_PROGRAMS);
  },
};
