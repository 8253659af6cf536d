import type { ShellCommand } from "../../dockerfile/shell.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";
import { invokes } from "../support/commands.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import { stagesUsedAsBase } from "../support/stages.ts";

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
    const lastStage = dockerfile.stages.length - 1;
    const usedAsBase = stagesUsedAsBase(dockerfile);
    const hits: RuleHit[] = [];
    for (const run of runs) {
      if (!leavesCache(run)) continue;
      const onbuild = run.outer !== run.instruction;
      const stage = run.outer.stage;
      if (onbuild || stage === lastStage || usedAsBase.has(stage)) hits.push({ line: run.outer.line });
    }
    return hits;
  },
};
