import { runRemovesAptLists, runUpdatesApt } from "../support/apt.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import { runShips, stagesUsedAsBase } from "../support/stages.ts";
import type { Rule, RunInfo } from "../types.ts";

/** `apt-get update` (or apt/aptitude) without removing the lists in the same RUN. */
function leavesAptLists(run: RunInfo): boolean {
  return runUpdatesApt(run) && !runRemovesAptLists(run);
}

/** A cache or tmpfs mount over the lists keeps them out of the layer. */
function mountsAptLists(run: RunInfo): boolean {
  const i = run.instruction;
  return (
    hasCacheMount(i, "/var/lib/apt/lists") ||
    (hasCacheMount(i, "/var/lib/apt") && hasCacheMount(i, "/var/cache/apt"))
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
    const usedAsBase = stagesUsedAsBase(dockerfile, "expanded");
    return runs
      .filter((run) => leavesAptLists(run) && !mountsAptLists(run) && runShips(dockerfile, run, usedAsBase))
      .map((run) => ({ line: run.outer.line }));
  },
};
