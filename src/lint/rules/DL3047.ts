import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import { hasAnyFlag, readCliArgs, runsWhere } from "../support/commands.ts";
import type { Rule } from "../types.ts";

/** The only programs whose commands this rule flags (the fixer asks only these). */
export const FLAGGED_PROGRAMS: readonly string[] = ["wget"];

/** The rule's test of one command (its fixer asks it about each command of a flagged RUN). */
export function flagsCommand(cmd: ShellCommand): boolean {
  if (basename(cmd.name) !== "wget") return false;
  const cli = readCliArgs(cmd.args);
  const quiet = hasAnyFlag(
    cli,
    "progress",
    "q",
    "quiet",
    "o",
    "output-file",
    "a",
    "append-output",
    "no-verbose",
  );
  return !quiet && !cmd.args.includes("-nv");
}

/**
 * wget's default progress bar floods build logs (hadolint DL3047). Fine with `--progress`,
 * or when output is quiet (`-q`, `-nv`) or goes to a log file (`-o`, `-a`).
 * ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3047",
  severity: "info",
  message:
    "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. " +
    "Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
  check({ runs }) {
    return runsWhere(runs, flagsCommand, FLAGGED_PROGRAMS);
  },
};
