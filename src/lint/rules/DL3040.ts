import { invokes, runsAnyOf } from "../support/commands.ts";
import { installWithoutCleanup, removesRpmCache } from "../support/rpm.ts";
import { hasCacheMount } from "../support/run-mounts.ts";
import type { Rule } from "../types.ts";

const INSTALLS = ["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"];
const DNF_TOOLS = ["dnf", "microdnf"];

/**
 * dnf/microdnf installs without `dnf clean all` (or removing the cache) afterwards, checked
 * per tool as hadolint DL3040 does. A cache or tmpfs mount on the dnf cache keeps it out.
 * ONBUILD RUN included.
 */
export const rule: Rule = {
  code: "DL3040",
  severity: "warning",
  message: "`dnf clean all` missing after dnf command.",
  check({ runs }) {
    if (!runsAnyOf(runs, DNF_TOOLS)) return [];
    return runs
      .filter(
        (run) =>
          !hasCacheMount(
            run.instruction,
            "/var/cache/libdnf5",
            ".cache/libdnf5",
            "/var/cache/dnf",
            "/var/cache/yum",
          ),
      )
      .filter((run) =>
        DNF_TOOLS.some((tool) =>
          installWithoutCleanup(
            run.commands,
            (cmd) => invokes(cmd, tool, INSTALLS),
            (cmd) => invokes(cmd, tool, ["clean"]) || removesRpmCache(cmd),
          ),
        ),
      )
      .map((run) => ({ line: run.outer.line }));
  },
};
