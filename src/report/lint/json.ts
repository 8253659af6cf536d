import type { LintReport } from "../../lint/lint.ts";

/**
 * hadolint's JSON format (`file, line, column, level, code, message`, in that order) extended
 * with drydock's fields after them; one array for all files.
 */
export function renderJson(report: LintReport): string {
  const rows = report.files.flatMap((file) =>
    file.findings.map((f) => ({
      file: f.file,
      line: f.line,
      column: f.column,
      level: f.level,
      code: f.code,
      message: f.message,
      endLine: f.endLine,
      endColumn: f.endColumn,
      aliases: f.aliases,
      fixable: f.fixable,
      url: f.url,
    })),
  );
  return `${JSON.stringify(rows, null, 2)}\n`;
}
