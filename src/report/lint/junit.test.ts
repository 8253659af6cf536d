import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import { HOSTILE_MESSAGE, hostileReport, sampleReport } from "./test-helpers/sample-report.ts";
import { decodeXml, elementsNamed, xmlProblems } from "./test-helpers/xml-wellformed.ts";

const options = { color: false, version: "1.2.3" };

describe("junit format", () => {
  it("writes a testsuite per file, a failed testcase per finding and a passing one per clean file", () => {
    const xml = renderLintReport(sampleReport(), "junit", options);
    expect(xmlProblems(xml)).toEqual([]);
    expect(elementsNamed(xml, "testsuites")[0]).toMatchObject({ tests: "5", failures: "4" });
    const suites = elementsNamed(xml, "testsuite");
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ["images/api/Dockerfile", "4", "4"],
      ["Dockerfile", "1", "0"],
    ]);
    const cases = elementsNamed(xml, "testcase");
    expect(cases).toHaveLength(5);
    expect(cases[0]).toMatchObject({ classname: "images/api/Dockerfile", name: "DL3000 at 2:1", line: "2" });
    expect(elementsNamed(xml, "failure").map((f) => f.type)).toEqual(["error", "warning", "info", "style"]);
    // The clean file's testcase is self-closing: no failure inside.
    expect(xml).toMatch(/<testcase classname="Dockerfile" name="drydock lint" file="Dockerfile"\/>/);
  });

  it("escapes hostile messages in attributes and text", () => {
    const xml = renderLintReport(hostileReport(), "junit", options);
    expect(xmlProblems(xml)).toEqual([]);
    const expected = HOSTILE_MESSAGE.replace("\u0007", "\uFFFD");
    expect(elementsNamed(xml, "failure")[0]!.message).toBe(`DL3006: ${expected}`);
    const body = /<failure[^>]*>([^<]*)<\/failure>/.exec(xml)![1]!;
    expect(decodeXml(body)).toContain(expected);
  });
});
