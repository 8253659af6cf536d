import { invokes, runsAnyOf } from "../support/commands.ts";
import { installWithoutCleanup, removesRpmCache } from "../support/rpm.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import type { Rule } from "../types.ts";

/**
 * `yum install` without `yum clean all` (or removing /var/cache/yum) afterwards leaves the
 * package cache in the layer (hadolint DL3032). Unlike hadolint, a cache or tmpfs mount on
 * /var/cache/yum also keeps it out (Docker's advice; hadolint#1139), and only an `rm` of a
 * cache path counts as cleaning. ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3032",
  severity: "warning",
  message: "`yum clean all` missing after yum command.",
  check({ runs }) {
    if (!runsAnyOf(runs, ["yum"])) return [];
    return runs
      .filter((run) => !hasCacheMount(run.instruction, "/var/cache/yum"))
      .filter((run) =>
        installWithoutCleanup(
          run.commands,
          (cmd) => invokes(cmd, "yum", ["install"]),
          (cmd) => invokes(cmd, "yum", ["clean"]) || removesRpmCache(cmd),
        ),
      )
      .map((run) => ({ line: run.outer.line }));
  },
};
