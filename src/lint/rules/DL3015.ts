import type { ShellCommand } from "../../dockerfile/shell.ts";
import { aptGetInstall, aptOptions } from "../support/apt.ts";
import { hasAnyFlag, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** The only programs whose commands this rule flags (the fixer asks only these). */
export const FLAGGED_PROGRAMS: readonly string[] = ["apt-get"];

/** The rule's test of one command (its fixer asks it about each command of a flagged RUN). */
export function flagsCommand(cmd: ShellCommand): boolean {
  const install = aptGetInstall(cmd);
  if (!install) return false;
  const disabled =
    hasAnyFlag(install, "no-install-recommends") ||
    aptOptions(install).some((o) => /^APT::Install-Recommends=(false|no|0)$/i.test(o));
  return !disabled;
}

/**
 * `apt-get install` that also pulls recommended packages (hadolint DL3015): needs
 * `--no-install-recommends` or `-o APT::Install-Recommends=false`.
 */
export const rule: Rule = {
  code: "DL3015",
  severity: "info",
  message: "Avoid additional packages by specifying `--no-install-recommends`",
  check({ runs }) {
    return runsWhere(runs, flagsCommand, FLAGGED_PROGRAMS);
  },
};
