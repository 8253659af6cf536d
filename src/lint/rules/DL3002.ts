import type { Rule, RuleHit } from "../types.ts";

/** `root`, `0`, `root:<group>` or `0:<group>` (hadolint DL3002). */
function isRoot(user: string): boolean {
  return user === "root" || user === "0" || user.startsWith("root:") || user.startsWith("0:");
}

/**
 * The last USER of each stage must not be root (hadolint DL3002). Per stage, as in hadolint:
 * an intermediate stage ending as root is reported too, since a stage built `FROM` it, or
 * targeted with `--target`, runs as root.
 */
export const rule: Rule = {
  code: "DL3002",
  severity: "warning",
  message: "Last USER should not be root",
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      const users = stage.instructions.filter((i) => i.keyword === "USER");
      const last = users[users.length - 1];
      if (last && isRoot(last.args.trim())) hits.push({ line: last.line });
    }
    return hits;
  },
};
