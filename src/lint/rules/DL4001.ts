import { basename } from "../../dockerfile/shell.ts";
import { passes } from "../support/passes.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * wget and curl both in one stage: one download tool is enough (hadolint DL4001). Reported on
 * each RUN using either tool once both have been seen in the stage. ONBUILD RUNs form a group
 * of their own, as in hadolint.
 */
export const rule: Rule = {
  code: "DL4001",
  severity: "warning",
  message: "Either use Wget or Curl but not both",
  check(ctx) {
    const hits: RuleHit[] = [];
    for (const pass of passes(ctx)) {
      let seen = new Set<string>();
      for (const { instruction, line, run } of pass.steps) {
        if (instruction.keyword === "FROM") seen = new Set();
        if (!run) continue;
        let downloads = false;
        for (const command of run.commands) {
          const name = basename(command.name);
          if (name !== "curl" && name !== "wget") continue;
          seen.add(name);
          downloads = true;
        }
        if (downloads && seen.size >= 2) hits.push({ line });
      }
    }
    return hits;
  },
};
