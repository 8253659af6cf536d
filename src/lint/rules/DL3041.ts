import { unpinnedRpmRuns } from "../support/rpm.ts";
import type { Rule } from "../types.ts";

/**
 * `dnf install <package>` without `-<version>` (hadolint DL3041); `dnf group install` is not
 * checked. Versions from ARGs and stage ENVs count as in DL3033. ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3041",
  severity: "warning",
  message: "Specify version with `dnf install -y <package>-<version>`.",
  check(ctx) {
    return unpinnedRpmRuns(ctx, ["dnf", "microdnf"], ["group"]);
  },
};
