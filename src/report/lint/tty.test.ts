import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import { finding, hostileReport, reportOf, sampleReport } from "./test-helpers/sample-report.ts";

const plain = { color: false, version: "1.2.3" };
const ESC = "\u001b";

describe("tty format", () => {
  it("prints a header, each finding with its code frame, and a summary", () => {
    const out = renderLintReport(sampleReport(), "tty", plain);
    expect(out).not.toContain(ESC);
    const lines = out.split("\n");
    expect(lines[0]).toBe("images/api/Dockerfile");
    expect(lines[1]).toBe(
      "images/api/Dockerfile:2:1  error    DL3000 (WorkdirRelativePath)  Use absolute WORKDIR  [fixable]",
    );
    expect(lines.slice(2, 4)).toEqual(["  2 | WORKDIR app", "    | ^^^^^^^^^^^"]);
    expect(out).toContain("images/api/Dockerfile:4:26  info     SC2086  Double quote");
    expect(out.trimEnd().split("\n").at(-1)).toBe(
      "4 problems (1 error, 1 warning, 1 info, 1 style), 1 fixable with --fix",
    );
    // The clean file gets no section.
    expect(lines.filter((l) => l === "Dockerfile")).toEqual([]);
  });

  it("underlines multi-line ranges line by line, expanding tabs so carets line up", () => {
    const out = renderLintReport(sampleReport(), "tty", plain);
    expect(out).toContain(
      [
        "  3 | RUN apt-get update && \\",
        "    |     ^^^^^^^^^^^^^^^^^^^",
        "  4 |     apt-get install -y curl $PKG",
        "    |     ^^^^^^^^^^^^^^^^^^^^^^",
      ].join("\n"),
    );
    expect(out).toContain(
      ["  4 |     apt-get install -y curl $PKG", `    | ${" ".repeat(28)}^^^^`].join("\n"),
    );
  });

  it("shows at most four lines of a long range", () => {
    const source = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join("\n");
    const f = finding({ file: "D", line: 1, endLine: 8, endColumn: 7, code: "DL3003" });
    const out = renderLintReport(
      reportOf([{ file: "D", stdin: false, source, findings: [f] }]),
      "tty",
      plain,
    );
    expect(out).toContain("  4 | line 4");
    expect(out).not.toContain("line 5");
    expect(out).toContain("    | ...");
  });

  it("skips the code frame when the source is unknown or the line is out of range", () => {
    const f = finding({ file: "D", line: 9, code: "DL1000", level: "error" });
    const out = renderLintReport(
      reportOf([{ file: "D", stdin: false, source: "FROM x", findings: [f] }]),
      "tty",
      plain,
    );
    expect(out).not.toContain(" | ");
    const noSource = renderLintReport(reportOf([{ file: "D", stdin: false, findings: [f] }]), "tty", plain);
    expect(noSource).toContain("D:9:1  error    DL1000");
  });

  it("says when nothing was found, and when ShellCheck was missing", () => {
    const report = sampleReport();
    report.files = report.files.slice(1);
    report.findings = [];
    expect(renderLintReport(report, "tty", plain)).toBe("No problems found in 1 file\n");
    const missing = renderLintReport({ ...report, shellcheck: { status: "missing" } }, "tty", plain);
    expect(missing).toMatch(/ShellCheck was not found: RUN bodies were not checked/);
    const clean2 = reportOf([
      { file: "a", stdin: false, findings: [] },
      { file: "b", stdin: false, findings: [] },
    ]);
    expect(renderLintReport(clean2, "tty", plain)).toBe("No problems found in 2 files\n");
  });

  it("colours only when asked", () => {
    const out = renderLintReport(sampleReport(), "tty", { color: true, version: "1.2.3" });
    expect(out).toContain(`${ESC}[31merror  ${ESC}[39m`);
    expect(out).toContain(ESC);
  });

  it("never passes control characters from the Dockerfile to the terminal", () => {
    const report = hostileReport();
    report.files[0]!.source = `FROM x${ESC}[2J\n`;
    const out = renderLintReport(report, "tty", plain);
    expect(out).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    expect(out).toContain("FROM x\u241B[2J");
  });
});
