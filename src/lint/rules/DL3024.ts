import type { Rule, RuleHit } from "../types.ts";

/** Two stages with the same name (hadolint DL3024); BuildKit compares names case-insensitively. */
export const rule: Rule = {
  code: "DL3024",
  severity: "error",
  message: "FROM aliases (stage names) must be unique",
  aliases: ["DuplicateStageName"],
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const stage of dockerfile.stages) {
      if (!stage.name) continue;
      if (seen.has(stage.name)) hits.push({ line: stage.from.line });
      seen.add(stage.name);
    }
    return hits;
  },
};
