import type { ShellCommand } from "../../dockerfile/shell.ts";
import { apkAdd } from "../support/apk.ts";
import { hasAnyFlag, runsWhere } from "../support/commands.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import type { Rule, RunInfo } from "../types.ts";

/** The only programs whose commands this rule flags (the fixer asks only these). */
export const FLAGGED_PROGRAMS: readonly string[] = ["apk"];

/** The rule's test of one command (its fixer asks it about each command of a flagged RUN). */
export function flagsCommand(cmd: ShellCommand, run: RunInfo): boolean {
  const add = apkAdd(cmd);
  if (!add || hasAnyFlag(add, "no-cache")) return false;
  return !hasCacheMount(run.instruction, "/var/cache/apk");
}

/**
 * `apk add` without `--no-cache` (hadolint DL3019), unless the RUN mounts a cache or tmpfs
 * over /var/cache/apk, which keeps the index out of the layer as well.
 */
export const rule: Rule = {
  code: "DL3019",
  severity: "info",
  message:
    "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
  check({ runs }) {
    return runsWhere(runs, flagsCommand, FLAGGED_PROGRAMS);
  },
};
