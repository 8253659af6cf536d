import { runInstallsWithApt } from "../support/apt.ts";
import { adjacentRuns, mergeSessionAround, runAt } from "../support/apt-session.ts";
import type { Fixer } from "../types.ts";

/**
 * DL3009 (reported at the RUN with `apt-get update`): end the RUN that installs with
 * `rm -rf /var/lib/apt/lists/*`. When the update and the install are separate adjacent RUNs,
 * they are merged into one (with a following cleanup RUN, if any), as the update's lists are
 * otherwise kept in the update's layer.
 */
export const fixer: Fixer = {
  code: "DL3009",
  fix(ctx, hit) {
    const update = runAt(ctx, hit.line);
    if (!update) return null;
    const block = adjacentRuns(ctx, update);
    const install = runInstallsWithApt(update)
      ? update
      : block.slice(block.indexOf(update) + 1).find((run) => runInstallsWithApt(run));
    if (!install) return null;
    return mergeSessionAround(ctx, install, "remove the apt lists in the RUN that installs");
  },
};
