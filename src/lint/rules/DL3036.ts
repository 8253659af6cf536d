import { invokes, runsAnyOf } from "../support/commands.ts";
import { installWithoutCleanup } from "../support/rpm.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import type { Rule } from "../types.ts";

/**
 * zypper install without `zypper clean` afterwards leaves its cache in the layer (hadolint
 * DL3036). A cache or tmpfs mount on /var/cache/zypp keeps it out. ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3036",
  severity: "warning",
  message: "`zypper clean` missing after zypper use.",
  check({ runs }) {
    if (!runsAnyOf(runs, ["zypper"])) return [];
    return runs
      .filter((run) => !hasCacheMount(run.instruction, "/var/cache/zypp"))
      .filter((run) =>
        installWithoutCleanup(
          run.commands,
          (cmd) => invokes(cmd, "zypper", ["install", "in"]),
          (cmd) => invokes(cmd, "zypper", ["clean", "cc"]),
        ),
      )
      .map((run) => ({ line: run.outer.line }));
  },
};
