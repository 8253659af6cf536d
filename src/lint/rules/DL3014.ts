import type { ShellCommand } from "../../dockerfile/shell.ts";
import { aptGetInstall, aptOptions } from "../support/apt.ts";
import { countFlag, hasAnyFlag, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** The only programs whose commands this rule flags (the fixer asks only these). */
export const FLAGGED_PROGRAMS: readonly string[] = ["apt-get"];

/** The rule's test of one command (its fixer asks it about each command of a flagged RUN). */
export function flagsCommand(cmd: ShellCommand): boolean {
  const install = aptGetInstall(cmd);
  if (!install) return false;
  const answered =
    hasAnyFlag(install, "y", "yes", "assume-yes") ||
    countFlag(install, "q") >= 2 ||
    countFlag(install, "quiet") >= 2 ||
    install.words.some((w) => w === "-q=2" || w === "--quiet=2") ||
    aptOptions(install).some((o) => /^APT::Get::Assume-Yes=(true|yes|1)$/i.test(o));
  return !answered;
}

/**
 * `apt-get install` that may stop for a confirmation (hadolint DL3014). Answered by
 * `-y`/`--yes`/`--assume-yes`, by quiet level 2 (`-qq`, `-q -q`, `-q=2`, which implies `-y`),
 * or by `-o APT::Get::Assume-Yes=true`. hadolint requires exactly two `-q`; more also count here.
 */
export const rule: Rule = {
  code: "DL3014",
  severity: "warning",
  message: "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
  check({ runs }) {
    return runsWhere(runs, flagsCommand, FLAGGED_PROGRAMS);
  },
};
