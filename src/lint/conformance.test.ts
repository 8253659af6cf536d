import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { settingsFor } from "../test-helpers/hadolint-config.ts";
import { sharedDir } from "../test-helpers/shared.ts";
import { analyze } from "./engine.ts";

/**
 * hadolint's own rule tests (shared/conformance/hadolint-cases.json): for each case, does the
 * rule fire (at least one finding) or not (none). Raw findings are compared, before severity
 * filtering, as hadolint's tests do. Cases we deliberately answer differently are listed in
 * conformance-gaps/*.json with the reason.
 */
interface Case {
  test: string;
  fires: boolean;
  config: string;
  dockerfile: string;
}
interface Gap {
  rule: string;
  test: string;
  reason: string;
}

const data = JSON.parse(readFileSync(join(sharedDir(), "conformance", "hadolint-cases.json"), "utf8")) as {
  rules: Record<string, Case[]>;
};
// One file per area (conformance-gaps/*.json), each an array of {rule, test, reason}.
const gapDir = fileURLToPath(new URL("./conformance-gaps/", import.meta.url));
const gaps = readdirSync(gapDir)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => JSON.parse(readFileSync(join(gapDir, f), "utf8")) as Gap[]);
const gapKey = (rule: string, test: string) => `${rule}\u0000${test}`;
const gapSet = new Map(gaps.map((g) => [gapKey(g.rule, g.test), g]));

function fires(rule: string, c: Case): boolean {
  // hadolint's harness appends a newline to every snippet.
  const analysis = analyze(`${c.dockerfile}\n`, "Dockerfile", settingsFor(c.config));
  return analysis.hits.some((h) => h.code === rule);
}

const results: { rule: string; test: string; pass: boolean }[] = [];

describe("hadolint conformance", () => {
  for (const [rule, cases] of Object.entries(data.rules)) {
    describe(rule, () => {
      for (const c of cases) {
        const gap = gapSet.get(gapKey(rule, c.test));
        it(`${c.fires ? "fires" : "does not fire"}: ${c.test}${gap ? " (known gap)" : ""}`, () => {
          const actual = fires(rule, c);
          results.push({ rule, test: c.test, pass: actual === c.fires });
          if (gap) expect(actual, `listed as a gap (${gap.reason}) but now passes: remove it`).toBe(!c.fires);
          else expect(actual).toBe(c.fires);
        });
      }
    });
  }
  it("passes at least 98% of the cases", () => {
    const total = Object.values(data.rules).reduce((n, cases) => n + cases.length, 0);
    const passed = total - gaps.length;
    expect(passed / total).toBeGreaterThanOrEqual(0.98);
  });
});
