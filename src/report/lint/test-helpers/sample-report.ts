import type { LintFileResult, LintReport } from "../../../lint/lint.ts";
import { defaultLintSettings } from "../../../lint/settings.ts";
import type { Finding } from "../../../lint/types.ts";

/** A finding with defaults for the fields a test does not care about. */
export function finding(overrides: Partial<Finding> & Pick<Finding, "file" | "line" | "code">): Finding {
  return {
    column: 1,
    endLine: overrides.line,
    endColumn: 1,
    level: "warning",
    message: `message of ${overrides.code}`,
    aliases: [],
    fixable: false,
    url: `https://example.test/rules/${overrides.code}`,
    ...overrides,
  };
}

export function reportOf(files: LintFileResult[], shellcheck: LintReport["shellcheck"]["status"] = "used") {
  const findings = files.flatMap((f) => f.findings);
  return {
    files,
    findings,
    failed: findings.length > 0,
    shellcheck: { status: shellcheck },
    settings: defaultLintSettings(),
  } satisfies LintReport;
}

export const SAMPLE_SOURCE = [
  "FROM debian:12",
  "WORKDIR app",
  "RUN apt-get update && \\",
  "\tapt-get install -y curl $PKG",
  "LABEL x=y",
].join("\n");

/** One file with a finding at every level (one fixable, one over two lines) and a clean file. */
export function sampleReport(): LintReport {
  const file = "images/api/Dockerfile";
  return reportOf([
    {
      file,
      stdin: false,
      source: SAMPLE_SOURCE,
      findings: [
        finding({
          file,
          line: 2,
          endColumn: 12,
          code: "DL3000",
          level: "error",
          message: "Use absolute WORKDIR",
          aliases: ["WorkdirRelativePath"],
          fixable: true,
        }),
        finding({
          file,
          line: 3,
          column: 5,
          endLine: 4,
          endColumn: 27,
          code: "DL3008",
          level: "warning",
          message: "Pin versions in apt get install",
        }),
        finding({
          file,
          line: 4,
          column: 26,
          endColumn: 30,
          code: "SC2086",
          level: "info",
          message: "Double quote to prevent globbing and word splitting.",
          url: "https://www.shellcheck.net/wiki/SC2086",
        }),
        finding({
          file,
          line: 5,
          endColumn: 10,
          code: "DL3048",
          level: "style",
          message: "Invalid label key.",
        }),
      ],
    },
    { file: "Dockerfile", stdin: false, source: "FROM debian:12\nUSER 1000\n", findings: [] },
  ]);
}

/** Messages and a file name built to break naive escaping in every format. */
export const HOSTILE_MESSAGE = `bad </error> & "quotes" 'single' <tag> 100%0A done\r\nline2, a:b \u0007bell`;
export const HOSTILE_FILE = "dir, with: colon/my Dockerfile&<x>";

export function hostileReport(): LintReport {
  return reportOf([
    {
      file: HOSTILE_FILE,
      stdin: false,
      source: "FROM x\n",
      findings: [
        finding({ file: HOSTILE_FILE, line: 1, endColumn: 7, code: "DL3006", message: HOSTILE_MESSAGE }),
      ],
    },
  ]);
}
