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
        const tools = run.commands.map((c) => basename(c.name)).filter((n) => n === "curl" || n === "wget");
        for (const tool of tools) seen.add(tool);
        if (tools.length > 0 && seen.size >= 2) hits.push({ line });
      }
    }
    return hits;
  },
};
