import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test-helpers/shared.ts";
import { renderLintReport } from "../lint-report.ts";
import {
  finding,
  HOSTILE_MESSAGE,
  hostileReport,
  reportOf,
  sampleReport,
} from "./test-helpers/sample-report.ts";

const options = { color: false, version: "1.2.3" };

/**
 * The official SARIF 2.1.0 schema (shipped in @microsoft/jest-sarif). It is draft-04, which
 * Ajv 8 reads once the draft-04 `$schema`/`id` keys are swapped for their draft-07 spelling
 * (the schema uses no other draft-04-only keyword).
 */
function sarifValidator() {
  const path = join(REPO_ROOT, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(path, "utf8"));
  // unicodeRegExp off: one of the schema's patterns is not valid with the `u` flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile({ ...schema, $id: id });
}

const validate = sarifValidator();

function expectValidSarif(text: string) {
  const log = JSON.parse(text);
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  return log;
}

describe("sarif format", () => {
  it("validates against the SARIF 2.1.0 schema", () => {
    expectValidSarif(renderLintReport(sampleReport(), "sarif", options));
    expectValidSarif(renderLintReport(hostileReport(), "sarif", options));
    expectValidSarif(renderLintReport(reportOf([]), "sarif", options));
  });

  it("the validator rejects a broken log (the check itself works)", () => {
    const log = JSON.parse(renderLintReport(sampleReport(), "sarif", options));
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
  });

  it("describes drydock and one rule per code", () => {
    const log = expectValidSarif(renderLintReport(sampleReport(), "sarif", options));
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: "drydock", version: "1.2.3" });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(["DL3000", "DL3008", "DL3048", "SC2086"]);
    const dl3000 = driver.rules[0];
    expect(dl3000).toMatchObject({
      id: "DL3000",
      shortDescription: { text: "Use absolute WORKDIR" },
      helpUri: "https://example.test/rules/DL3000",
      defaultConfiguration: { level: "error" },
      properties: { aliases: ["WorkdirRelativePath"] },
    });
    expect(dl3000.properties.tags).toContain("dockerfile");
    expect(driver.rules[3].properties.tags).toContain("shellcheck");
  });

  it("maps levels and locations", () => {
    const log = expectValidSarif(renderLintReport(sampleReport(), "sarif", options));
    const results = log.runs[0].results;
    expect(results.map((r: { level: string }) => r.level)).toEqual(["error", "warning", "note", "note"]);
    expect(results[1]).toMatchObject({
      ruleId: "DL3008",
      message: { text: "Pin versions in apt get install" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "images/api/Dockerfile" },
            region: { startLine: 3, startColumn: 5, endLine: 4, endColumn: 27 },
          },
        },
      ],
    });
    for (const r of results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it("writes relative, percent-encoded URIs", () => {
    const file = "/work/repo/my app/Dockerfile";
    const report = reportOf([{ file, stdin: false, findings: [finding({ file, line: 1, code: "DL3006" })] }]);
    const log = expectValidSarif(renderLintReport(report, "sarif", { ...options, cwd: "/work/repo" }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "my%20app/Dockerfile",
    );
    const outside = expectValidSarif(renderLintReport(report, "sarif", { ...options, cwd: "/elsewhere" }));
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "file:///work/repo/my%20app/Dockerfile",
    );
  });

  it("keeps hostile messages intact", () => {
    const log = expectValidSarif(renderLintReport(hostileReport(), "sarif", options));
    expect(log.runs[0].results[0].message.text).toBe(HOSTILE_MESSAGE);
  });
});
