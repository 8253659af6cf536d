import { unpinnedRpmRuns } from "../support/rpm.ts";
import type { Rule } from "../types.ts";

/**
 * `yum install <package>` without `-<version>` (hadolint DL3033): a version may come from an
 * ARG, or an ENV of the stage (inherited from the stage it builds on). ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3033",
  severity: "warning",
  message: "Specify version with `yum install -y <package>-<version>`.",
  check(ctx) {
    return unpinnedRpmRuns(ctx, ["yum"], []);
  },
};
