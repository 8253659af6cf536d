import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { goHumanBytes, parseBytes } from "./bytes.ts";
import { type CiInput, compileCiRules, DEFAULT_CI_THRESHOLDS, evaluateCi } from "./ci.ts";
import { loadAuditConfig } from "./config.ts";

const input: CiInput = {
  efficiency: 0.8512,
  wastedBytes: 21_000_000,
  userWastedPercent: 0.25,
  sizeBytes: 120_000_000,
  reclaimableBytes: 9_000_000,
};

describe("byte sizes as go-humanize reads and prints them", () => {
  it.each([
    ["20MB", 20_000_000],
    ["20Mb", 20_000_000],
    ["20 mb", 20_000_000],
    ["1.5GiB", 1.5 * 1024 ** 3],
    ["1,000 kB", 1_000_000],
    ["512", 512],
    ["3k", 3000],
    ["2Ki", 2048],
  ])("parses %s", (text, value) => {
    expect(parseBytes(text)).toBe(value);
  });
  it("rejects unknown units and missing numbers", () => {
    expect(() => parseBytes("20 parsecs")).toThrow("unhandled size name: parsecs");
    expect(() => parseBytes("MB")).toThrow(/invalid syntax/);
  });
  it.each([
    [9, "9 B"],
    [1234, "1.2 kB"],
    [45_123_456, "45 MB"],
    [3_572_000, "3.6 MB"],
    [999_949, "1000 kB"],
  ])("prints %d as %s", (value, text) => {
    expect(goHumanBytes(value)).toBe(text);
  });
});

describe("CI rules", () => {
  it("uses dive's defaults: efficiency ≥ 0.9 and user waste ≤ 0.1", () => {
    const result = evaluateCi(compileCiRules(DEFAULT_CI_THRESHOLDS), input);
    expect(result.pass).toBe(false);
    expect(result.rules.map((r) => [r.rule, r.status, r.message])).toEqual([
      [
        "highestUserWastedPercent",
        "FAIL",
        "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.25 > threshold=0.1)",
      ],
      ["highestWastedBytes", "SKIP", "disabled"],
      ["lowestEfficiency", "FAIL", "image efficiency is too low (efficiency=0.85 < threshold=0.9)"],
      ["maxReclaimable", "SKIP", "disabled"],
      ["maxSize", "SKIP", "disabled"],
    ]);
    expect(result.tally).toEqual({ pass: 0, fail: 2, skip: 3 });
  });

  it("passes with the configured value as the message, and checks the corrected limits", () => {
    const result = evaluateCi(
      compileCiRules({
        lowestEfficiency: "0.8",
        highestWastedBytes: "20MB",
        highestUserWastedPercent: "off",
        maxSize: "100MB",
        maxReclaimable: "10MB",
      }),
      input,
    );
    expect(result.rules.map((r) => [r.rule, r.status, r.message])).toEqual([
      ["highestUserWastedPercent", "SKIP", "disabled"],
      ["highestWastedBytes", "FAIL", "too many bytes wasted (wasted-bytes=21000000 > threshold=20000000)"],
      ["lowestEfficiency", "PASS", "0.8"],
      ["maxReclaimable", "PASS", "10MB"],
      ["maxSize", "FAIL", "image is too large (size=120000000 > threshold=100000000)"],
    ]);
  });

  it("treats a NaN user ratio as passing and +Inf as failing, like Go", () => {
    const rules = compileCiRules({ ...DEFAULT_CI_THRESHOLDS, lowestEfficiency: "false" });
    expect(evaluateCi(rules, { ...input, userWastedPercent: Number.NaN }).pass).toBe(true);
    expect(evaluateCi(rules, { ...input, userWastedPercent: Number.POSITIVE_INFINITY }).pass).toBe(false);
  });

  it("rejects bad values as usage errors, all at once", () => {
    const bad = () =>
      compileCiRules({ ...DEFAULT_CI_THRESHOLDS, lowestEfficiency: "1.5", highestWastedBytes: "lots" });
    expect(bad).toThrow(UsageError);
    expect(bad).toThrow(/lowestEfficiency config value is outside allowed range \(0-1\).*highestWastedBytes/);
  });
});

describe("audit config files", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "drydock-audit-config-"));

  it("reads .dive-ci rules in camelCase and kebab-case, ignoring other keys", async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, ".dive-ci"),
      [
        "plugins:",
        "  - plugin1",
        "rules:",
        "  lowestEfficiency: 0.95",
        "  highest-wasted-bytes: 20Mb",
        "  highestUserWastedPercent: false",
        "  max-reclaimable: 5MB",
        "  plugin1/rule1: error",
        "",
      ].join("\n"),
    );
    const settings = await loadAuditConfig({ cwd });
    expect(settings.thresholds).toEqual({
      lowestEfficiency: "0.95",
      highestWastedBytes: "20Mb",
      highestUserWastedPercent: "false",
      maxReclaimable: "5MB",
    });
    expect(settings.files).toEqual([join(cwd, ".dive-ci")]);
  });

  it("layers .dive-ci over the audit: section of .drydock.yaml", async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, ".drydock.yaml"),
      "lint:\n  shellcheck: off\naudit:\n  lowest-efficiency: 0.5\n  max-size: 1GB\n  ci: true\n  top: 5\n  base: alpine:3.20\n",
    );
    writeFileSync(join(cwd, "rules.yaml"), "rules:\n  lowestEfficiency: 0.7\n");
    const settings = await loadAuditConfig({ cwd, ciConfig: "rules.yaml" });
    expect(settings.thresholds).toEqual({ lowestEfficiency: "0.7", maxSize: "1GB" });
    expect(settings).toMatchObject({ ci: true, top: 5, base: "alpine:3.20" });
  });

  it("reports unknown keys in .drydock.yaml and a missing --ci-config file", async () => {
    const cwd = dir();
    writeFileSync(join(cwd, ".drydock.yaml"), "audit:\n  lowest-efficency: 0.5\n");
    await expect(loadAuditConfig({ cwd })).rejects.toThrow(/unknown key 'lowest-efficency'/);
    await expect(loadAuditConfig({ cwd: dir(), ciConfig: "nope.yaml" })).rejects.toThrow(/not found/);
  });
});
