import type { LintReport } from "../../lint/lint.ts";
import type { Finding } from "../../lint/types.ts";
import { escapeXmlText, XML_DECLARATION, xmlAttributes } from "../xml.ts";

/**
 * JUnit XML (the Ant/Surefire schema CI systems read): a `<testsuite>` per Dockerfile, a failed
 * `<testcase>` per finding, and one passing `<testcase>` for a clean file so it still shows up.
 * No timestamps, so the output is reproducible.
 */
export function renderJunit(report: LintReport): string {
  const total = report.files.reduce((n, file) => n + Math.max(file.findings.length, 1), 0);
  const lines = [
    XML_DECLARATION,
    `<testsuites${xmlAttributes({ name: "drydock lint", tests: total, failures: report.findings.length, errors: 0 })}>`,
  ];
  for (const file of report.files) {
    const tests = Math.max(file.findings.length, 1);
    const suite = { name: file.file, tests, failures: file.findings.length, errors: 0, skipped: 0 };
    lines.push(`  <testsuite${xmlAttributes(suite)}>`);
    if (file.findings.length === 0) {
      lines.push(
        `    <testcase${xmlAttributes({ classname: file.file, name: "drydock lint", file: file.file })}/>`,
      );
    }
    for (const finding of file.findings) lines.push(...testcase(finding));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function testcase(f: Finding): string[] {
  const caseAttributes = {
    classname: f.file,
    name: `${f.code} at ${f.line}:${f.column}`,
    file: f.file,
    line: f.line,
  };
  const failure = { type: f.level, message: `${f.code}: ${f.message}` };
  const body = `${f.file}:${f.line}:${f.column} ${f.level} ${f.code}: ${f.message}\n${f.url}`;
  return [
    `    <testcase${xmlAttributes(caseAttributes)}>`,
    `      <failure${xmlAttributes(failure)}>${escapeXmlText(body)}</failure>`,
    "    </testcase>",
  ];
}
