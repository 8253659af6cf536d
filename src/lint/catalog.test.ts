import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-helpers/shared.ts";
import { explainRule, listRules, RULE_DOCS_DIR } from "./catalog.ts";

describe("rule catalogue", () => {
  it("finds docs/ in the package root (found upwards from the module: src/, dist/ or dist/bundle/)", () => {
    expect(RULE_DOCS_DIR.replace(/[\\/]$/, "")).toBe(join(REPO_ROOT, "docs", "rules"));
  });

  it("has a documentation page for every drydock rule", () => {
    const own = listRules().filter((rule) => rule.origin === "drydock");
    expect(own.length).toBeGreaterThan(0);
    for (const rule of own) {
      expect(existsSync(join(RULE_DOCS_DIR, `${rule.code}.md`)), rule.code).toBe(true);
      const explained = explainRule(rule.code);
      expect(explained?.kind === "rules" && explained.rules[0]!.doc, rule.code).toMatch(
        new RegExp(`^# ${rule.code}\\b`),
      );
    }
  });

  it("gives no page when the docs folder is missing, and null for unknown names", () => {
    const explained = explainRule("DD001", join(REPO_ROOT, "no-such-docs"));
    expect(explained).toMatchObject({ kind: "rules", rules: [{ code: "DD001", doc: null }] });
    expect(explainRule("NoSuchCheck")).toBeNull();
    expect(explainRule("SC12")).toBeNull();
  });
});
