import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import { HOSTILE_MESSAGE, hostileReport, sampleReport } from "./test-helpers/sample-report.ts";

const options = { color: false, version: "1.2.3" };

describe("json format", () => {
  it("lists every finding of every file with hadolint's fields first, in order", () => {
    const rows = JSON.parse(renderLintReport(sampleReport(), "json", options));
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0])).toEqual([
      "file",
      "line",
      "column",
      "level",
      "code",
      "message",
      "endLine",
      "endColumn",
      "aliases",
      "fixable",
      "url",
    ]);
    expect(rows[0]).toMatchObject({
      file: "images/api/Dockerfile",
      line: 2,
      column: 1,
      level: "error",
      code: "DL3000",
      message: "Use absolute WORKDIR",
      aliases: ["WorkdirRelativePath"],
      fixable: true,
    });
    expect(rows.map((r: { code: string }) => r.code)).toEqual(["DL3000", "DL3008", "SC2086", "DL3048"]);
  });

  it("is an empty array when nothing was found", () => {
    const report = sampleReport();
    report.files = report.files.slice(1);
    report.findings = [];
    expect(JSON.parse(renderLintReport(report, "json", options))).toEqual([]);
  });

  it("round-trips hostile messages", () => {
    const rows = JSON.parse(renderLintReport(hostileReport(), "json", options));
    expect(rows[0].message).toBe(HOSTILE_MESSAGE);
  });
});
