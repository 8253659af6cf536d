import type { LintReport } from "../lint/lint.ts";

export const LINT_FORMATS = ["tty", "json", "sarif", "checkstyle", "gitlab", "junit", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface RenderOptions {
  color: boolean;
  /** drydock's version, for tool metadata in SARIF. */
  version: string;
}

/** Renders a lint report in one of the supported formats. */
export function renderLintReport(report: LintReport, format: LintFormat, _options: RenderOptions): string {
  if (format === "json") {
    return `${JSON.stringify(report.findings, null, 2)}\n`;
  }
  return (
    report.findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.level}: ${f.message}`).join("\n") + "\n"
  );
}
