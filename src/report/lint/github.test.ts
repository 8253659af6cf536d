import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import { hostileReport, sampleReport } from "./test-helpers/sample-report.ts";

const options = { color: false, version: "1.2.3" };

describe("github format", () => {
  it("writes one workflow command per finding, info and style as notices", () => {
    const lines = renderLintReport(sampleReport(), "github", options).trimEnd().split("\n");
    expect(lines).toEqual([
      "::error file=images/api/Dockerfile,line=2,col=1,endLine=2,endColumn=12,title=DL3000::Use absolute WORKDIR",
      "::warning file=images/api/Dockerfile,line=3,col=5,endLine=4,title=DL3008::Pin versions in apt get install",
      "::notice file=images/api/Dockerfile,line=4,col=26,endLine=4,endColumn=30,title=SC2086::Double quote to prevent globbing and word splitting.",
      "::notice file=images/api/Dockerfile,line=5,col=1,endLine=5,endColumn=10,title=DL3048::Invalid label key.",
    ]);
  });

  it("writes nothing for a clean run", () => {
    const report = sampleReport();
    report.files = report.files.slice(1);
    expect(renderLintReport(report, "github", options)).toBe("");
  });

  it("escapes %, CR and LF in the message and also , and : in properties", () => {
    const out = renderLintReport(hostileReport(), "github", options);
    expect(out.trimEnd().split("\n")).toHaveLength(1);
    expect(out).toContain("file=dir%2C with%3A colon/my Dockerfile&<x>,line=1");
    expect(out).toContain(
      "::bad </error> & \"quotes\" 'single' <tag> 100%250A done%0D%0Aline2, a:b \u0007bell\n",
    );
  });
});
