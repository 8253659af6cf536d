import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_FIXERS } from "../../lint/fixes/index.ts";
import { ALL_RULES } from "../../lint/rules/index.ts";
import { REPO_ROOT } from "../../test-helpers/shared.ts";
import { runCli } from "../test-helpers/run-cli.ts";

const drydock = (argv: string[]) => runCli(argv, { cwd: REPO_ROOT });

const rowOf = (table: string, code: string) => table.split("\n").find((line) => line.startsWith(`${code} `));

describe("drydock rules", () => {
  it("lists every rule with severity, fixability, BuildKit names and message", async () => {
    const result = await drydock(["rules"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CODE\s+SEVERITY\s+FIX\s+BUILDKIT\s+MESSAGE$/);
    expect(lines).toHaveLength(ALL_RULES.length + 1);
    expect(rowOf(result.stdout, "DL3008")).toMatch(
      /^DL3008\s+warning\s+no\s+-\s+Pin versions in apt get install/,
    );
    expect(rowOf(result.stdout, "DL3025")).toMatch(/^DL3025\s+warning\s+yes\s+JSONArgsRecommended\s+/);
    expect(rowOf(result.stdout, "DD101")).toMatch(/^DD101\s+warning\s+yes\s+ConsistentInstructionCasing\s+/);
  });

  it("gives the catalogue as JSON, fixable exactly where a fixer exists", async () => {
    const result = await drydock(["rules", "--format", "json"]);
    expect(result.code).toBe(0);
    const rules = JSON.parse(result.stdout) as { code: string; fixable: boolean; aliases: string[] }[];
    expect(rules.map((r) => r.code)).toEqual(ALL_RULES.map((r) => r.code).sort());
    const fixers = new Set(ALL_FIXERS.map((f) => f.code));
    for (const rule of rules) expect(rule.fixable, rule.code).toBe(fixers.has(rule.code));
    expect(rules.find((r) => r.code === "DL4003")).toMatchObject({
      severity: "warning",
      aliases: ["MultipleInstructionsDisallowed"],
      message: expect.stringContaining("Multiple `CMD` instructions"),
    });
  });

  it("explains a drydock rule with its documentation page", async () => {
    const result = await drydock(["rules", "DD001"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^DD001 \(drydock rule\)\n {2}severity: warning\n {2}fixable: {2}no\n/);
    const page = readFileSync(join(REPO_ROOT, "docs", "rules", "DD001.md"), "utf8");
    expect(result.stdout).toContain(page.trimEnd());
  });

  it("accepts a code in any case and a hadolint rule has a link but no page", async () => {
    const result = await drydock(["rules", "dl3008", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      kind: "rules",
      rules: [
        expect.objectContaining({
          code: "DL3008",
          origin: "hadolint",
          url: "https://github.com/hadolint/hadolint/wiki/DL3008",
          doc: null,
        }),
      ],
    });
  });

  it("finds the rules behind a BuildKit check name", async () => {
    const result = await drydock(["rules", "SecretsUsedInArgOrEnv"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("DL3064 (hadolint rule)");
    expect(result.stdout).toContain("DD111 (drydock rule)");
    expect(result.stdout).toContain("# DD111");
  });

  it("links a ShellCheck code to the ShellCheck wiki", async () => {
    const result = await drydock(["rules", "sc2086"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("https://www.shellcheck.net/wiki/SC2086");
    const json = await drydock(["rules", "SC2154", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      kind: "shellcheck",
      code: "SC2154",
      url: "https://www.shellcheck.net/wiki/SC2154",
    });
  });

  it("exits 2 with one line for an unknown code", async () => {
    const result = await drydock(["rules", "DL9999"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("drydock: unknown rule 'DL9999' (run drydock rules for the list)\n");
  });

  it("exits 2 for an unknown format", async () => {
    const result = await drydock(["rules", "--format", "yaml"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
