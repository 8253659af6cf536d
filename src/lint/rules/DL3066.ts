import { referencesVariable } from "../support/expand.ts";
import { DefinedVariables, topLevelSteps } from "../support/passes.ts";
import { parentStages } from "../support/stages.ts";
import type { Rule, RuleHit } from "../types.ts";

/**
 * `USER name`: a name must be resolved through the image's /etc/passwd, which the host (and
 * tools such as Kubernetes' runAsNonRoot) cannot check (hadolint DL3066). A numeric UID is
 * fine, and so is a variable: hadolint accepts ARGs; we accept ENVs of the stage as well.
 */
export const rule: Rule = {
  code: "DL3066",
  severity: "info",
  message: "Non-numeric user-id may not be resolvable by host system",
  check(ctx) {
    const hits: RuleHit[] = [];
    if (!ctx.dockerfile.instructions.some((i) => i.keyword === "USER")) return hits;
    const variables = new DefinedVariables(parentStages(ctx.dockerfile), ctx.dockerfile.escape);
    for (const step of topLevelSteps(ctx)) {
      variables.step(step);
      if (step.instruction.keyword !== "USER") continue;
      const user = step.instruction.args.trim().split(/\s+/)[0] ?? "";
      const uid = user.split(":")[0]!;
      if (/^\d*$/.test(uid)) continue;
      if (variables.names().some((name) => referencesVariable(uid, name))) continue;
      hits.push({ line: step.line });
    }
    return hits;
  },
};
