import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import { HOSTILE_FILE, HOSTILE_MESSAGE, hostileReport, sampleReport } from "./test-helpers/sample-report.ts";
import { elementsNamed, xmlProblems } from "./test-helpers/xml-wellformed.ts";

const options = { color: false, version: "1.2.3" };

describe("checkstyle format", () => {
  it("writes a well-formed checkstyle 4.3 document with a <file> per Dockerfile", () => {
    const xml = renderLintReport(sampleReport(), "checkstyle", options);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<checkstyle version="4.3">/);
    expect(elementsNamed(xml, "file").map((f) => f.name)).toEqual(["images/api/Dockerfile", "Dockerfile"]);
    const errors = elementsNamed(xml, "error");
    expect(errors).toHaveLength(4);
    expect(errors[0]).toEqual({
      line: "2",
      column: "1",
      severity: "error",
      message: "Use absolute WORKDIR",
      source: "DL3000",
    });
    expect(errors.map((e) => e.severity)).toEqual(["error", "warning", "info", "style"]);
  });

  it("escapes hostile messages and file names", () => {
    const xml = renderLintReport(hostileReport(), "checkstyle", options);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain("</error> &");
    expect(elementsNamed(xml, "file")[0]!.name).toBe(HOSTILE_FILE);
    // The bell character cannot appear in XML 1.0 at all; everything else survives.
    expect(elementsNamed(xml, "error")[0]!.message).toBe(HOSTILE_MESSAGE.replace("\u0007", "\uFFFD"));
  });

  it("detects broken XML (the checker itself)", () => {
    expect(xmlProblems('<a><b x="1"></a>')).not.toEqual([]);
    expect(xmlProblems('<a x="<"/>')).not.toEqual([]);
    expect(xmlProblems("<a>&nope;</a>")).not.toEqual([]);
    expect(xmlProblems("<a/><b/>")).not.toEqual([]);
  });
});
