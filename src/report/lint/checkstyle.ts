import type { LintReport } from "../../lint/lint.ts";
import { XML_DECLARATION, xmlAttributes } from "../xml.ts";

/**
 * Checkstyle XML as hadolint writes it (`<checkstyle version="4.3">`, one `<file>` per
 * Dockerfile, `severity` = hadolint's level name, `source` = the rule code). Unlike hadolint,
 * clean files are listed too (empty `<file>`), as ESLint's checkstyle output does.
 * Format: https://checkstyle.org/ (the XMLLogger output).
 */
export function renderCheckstyle(report: LintReport): string {
  const lines = [XML_DECLARATION, '<checkstyle version="4.3">'];
  for (const file of report.files) {
    if (file.findings.length === 0) {
      lines.push(`  <file${xmlAttributes({ name: file.file })}/>`);
      continue;
    }
    lines.push(`  <file${xmlAttributes({ name: file.file })}>`);
    for (const f of file.findings) {
      const attributes = {
        line: f.line,
        column: f.column,
        severity: f.level,
        message: f.message,
        source: f.code,
      };
      lines.push(`    <error${xmlAttributes(attributes)}/>`);
    }
    lines.push("  </file>");
  }
  lines.push("</checkstyle>");
  return `${lines.join("\n")}\n`;
}
