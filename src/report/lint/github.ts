import type { LintReport } from "../../lint/lint.ts";
import type { Finding } from "../../lint/types.ts";

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), which annotate the
 * pull request. Spec: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 * Escaping follows @actions/core's `escapeData` / `escapeProperty`.
 */
export function renderGithub(report: LintReport): string {
  return report.files
    .flatMap((file) => file.findings)
    .map((f) => `${command(f)}\n`)
    .join("");
}

const COMMANDS = { error: "error", warning: "warning", info: "notice", style: "notice", ignore: "notice" };

function command(f: Finding): string {
  const properties: Record<string, string | number> = { file: f.file, line: f.line, col: f.column };
  properties.endLine = f.endLine;
  // GitHub only honours column ranges on single-line annotations.
  if (f.endLine === f.line) properties.endColumn = f.endColumn;
  properties.title = f.code;
  const rendered = Object.entries(properties)
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${COMMANDS[f.level]} ${rendered}::${escapeData(f.message)}`;
}

export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
