import { basename, type ShellCommand } from "../../dockerfile/shell.ts";
import type { Rule, RuleHit, RunInfo } from "../types.ts";
import { invokes } from "./support/cli-args.ts";
import { hasCacheOrTmpfsMountWith } from "./support/run-mounts.ts";
import { stageBases } from "./support/stages.ts";

const APT_TOOLS = ["apt-get", "apt", "aptitude"];

/** Paths whose removal deletes the apt lists (`/var/lib/apt/lists/*` and the like). */
function removesAptLists(cmd: ShellCommand): boolean {
  if (basename(cmd.name) !== "rm") return false;
  return cmd.args.some((arg) => {
    const path = arg.replace(/(\/\*?)+$/, "");
    return path === "/var/lib/apt/lists" || path === "/var/lib/apt";
  });
}

/** `apt-get update` (or apt/aptitude) without removing the lists in the same RUN. */
function leavesAptLists(run: RunInfo): boolean {
  const updates = run.commands.some((cmd) => APT_TOOLS.some((tool) => invokes(cmd, tool, ["update"])));
  return updates && !run.commands.some(removesAptLists);
}

/** A cache or tmpfs mount over the lists keeps them out of the layer. */
function mountsAptLists(run: RunInfo): boolean {
  const i = run.instruction;
  return (
    hasCacheOrTmpfsMountWith(i, "/var/lib/apt/lists") ||
    (hasCacheOrTmpfsMountWith(i, "/var/lib/apt") && hasCacheOrTmpfsMountWith(i, "/var/cache/apt"))
  );
}

/**
 * apt lists left in a layer that ships (hadolint DL3009): reported in the last stage and in
 * stages a later FROM builds on; an intermediate stage that is only copied from does not
 * matter. hadolint counts any `rm` with a `-rf` argument as the cleanup; we require the
 * lists path itself. ONBUILD RUN is always reported (it runs in some later image).
 */
export const rule: Rule = {
  code: "DL3009",
  severity: "info",
  message: "Delete the apt lists (/var/lib/apt/lists) after installing something",
  check({ dockerfile, runs }) {
    const lastStage = dockerfile.stages.length - 1;
    const basesOfLaterStages = new Set<number>();
    stageBases(dockerfile).forEach((base, stageIndex) => {
      if (base.kind !== "stage") return;
      const index = dockerfile.stages.slice(0, stageIndex).findLastIndex((s) => s.name === base.name);
      if (index !== -1) basesOfLaterStages.add(index);
    });
    const hits: RuleHit[] = [];
    for (const run of runs) {
      if (!leavesAptLists(run) || mountsAptLists(run)) continue;
      const stage = run.outer.stage;
      const ships = run.outer !== run.instruction || stage === lastStage || basesOfLaterStages.has(stage);
      if (ships) hits.push({ line: run.outer.line });
    }
    return hits;
  },
};
