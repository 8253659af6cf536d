import type { ShellCommand } from "../../dockerfile/shell.ts";
import { invokes } from "../support/commands.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import { runShips, stagesUsedAsBase } from "../support/stages.ts";
import type { Rule, RunInfo } from "../types.ts";

const isInstall = (cmd: ShellCommand) => invokes(cmd, "yarn", ["install"]);
const isCacheClean = (cmd: ShellCommand) => invokes(cmd, "yarn", ["cache"]) && cmd.args.includes("clean");

/** `yarn install` with no `yarn cache clean` after it and no cache/tmpfs mount on ~/.cache/yarn. */
function leavesCache(run: RunInfo): boolean {
  const install = run.commands.findIndex(isInstall);
  if (install === -1) return false;
  const clean = run.commands.findIndex(isCacheClean);
  if (clean === -1) return !hasCacheMount(run.instruction, ".cache/yarn");
  return clean < install;
}

/**
 * `yarn install` leaving yarn's cache in the layer (hadolint DL3060). Only stages that end up
 * in an image count, as in hadolint: the last stage, or a stage another stage builds on — a
 * stage used only by `COPY --from` is left alone. ONBUILD RUN always counts.
 */
export const rule: Rule = {
  code: "DL3060",
  severity: "info",
  message: "`yarn cache clean` missing after `yarn install` was run.",
  check({ dockerfile, runs }) {
    const usedAsBase = stagesUsedAsBase(dockerfile);
    return runs
      .filter((run) => leavesCache(run) && runShips(dockerfile, run, usedAsBase))
      .map((run) => ({ line: run.outer.line }));
  },
};
