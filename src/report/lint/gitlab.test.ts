import { describe, expect, it } from "vitest";
import { renderLintReport } from "../lint-report.ts";
import {
  finding,
  HOSTILE_MESSAGE,
  hostileReport,
  reportOf,
  sampleReport,
} from "./test-helpers/sample-report.ts";

const options = { color: false, version: "1.2.3" };

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

const issuesOf = (text: string): Issue[] => JSON.parse(text);

describe("gitlab format", () => {
  it("writes Code Quality issues with hadolint's severity mapping", () => {
    const issues = issuesOf(renderLintReport(sampleReport(), "gitlab", options));
    expect(issues.map((i) => [i.check_name, i.severity])).toEqual([
      ["DL3000", "blocker"],
      ["DL3008", "major"],
      ["SC2086", "info"],
      ["DL3048", "minor"],
    ]);
    expect(issues[0]).toMatchObject({
      description: "DL3000: Use absolute WORKDIR",
      location: { path: "images/api/Dockerfile", lines: { begin: 2, end: 2 } },
    });
    expect(issues[1]!.location.lines).toEqual({ begin: 3, end: 4 });
  });

  it("gives stable, distinct fingerprints", () => {
    const first = issuesOf(renderLintReport(sampleReport(), "gitlab", options)).map((i) => i.fingerprint);
    const again = issuesOf(renderLintReport(sampleReport(), "gitlab", options)).map((i) => i.fingerprint);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const f of first) expect(f).toMatch(/^[0-9a-f]{40}$/);
    // Exact repeats still get their own fingerprint.
    const twice = finding({ file: "Dockerfile", line: 1, code: "DL3006" });
    const repeated = issuesOf(
      renderLintReport(
        reportOf([{ file: "Dockerfile", stdin: false, findings: [twice, { ...twice }] }]),
        "gitlab",
        options,
      ),
    );
    expect(repeated[0]!.fingerprint).not.toBe(repeated[1]!.fingerprint);
  });

  it("makes absolute paths relative to cwd", () => {
    const file = "/repo/svc/Dockerfile";
    const report = reportOf([{ file, stdin: false, findings: [finding({ file, line: 1, code: "DL3006" })] }]);
    const [issue] = issuesOf(renderLintReport(report, "gitlab", { ...options, cwd: "/repo" }));
    expect(issue!.location.path).toBe("svc/Dockerfile");
  });

  it("keeps hostile messages intact", () => {
    const [issue] = issuesOf(renderLintReport(hostileReport(), "gitlab", options));
    expect(issue!.description).toBe(`DL3006: ${HOSTILE_MESSAGE}`);
  });
});
