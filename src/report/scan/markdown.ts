/**
 * `drydock scan -o markdown`: a summary for a pull request comment or a CI job summary
 * (GitHub's $GITHUB_STEP_SUMMARY): counts per severity, then a table of findings.
 * Comparisons: introduced, fixed and unchanged counts and tables.
 */
import type { CompareResult } from "../../vuln/compare.ts";
import type { ScanResult, SeverityCounts } from "../../vuln/scan.ts";
import { SEVERITY_LEVELS } from "../../vuln/severity/severity.ts";
import type { Finding } from "../../vuln/types.ts";

/** Table cells: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

const LEVELS = [...SEVERITY_LEVELS].reverse();

function countsTable(rows: Array<[string, SeverityCounts]>): string {
  const head = `| | ${LEVELS.map((l) => l[0]!.toUpperCase() + l.slice(1)).join(" | ")} |`;
  const rule = `|---|${LEVELS.map(() => "---:").join("|")}|`;
  return [
    head,
    rule,
    ...rows.map(([name, c]) => `| ${cell(name)} | ${LEVELS.map((l) => c[l]).join(" | ")} |`),
  ].join("\n");
}

function findingsTable(
  findings: readonly Finding[],
  extra?: { name: string; value: (f: Finding) => string },
): string {
  if (findings.length === 0) return "_None._";
  const head = [
    "Severity",
    "Vulnerability",
    "Package",
    "Installed",
    "Fixed in",
    ...(extra ? [extra.name] : []),
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const f of findings) {
    const id = f.references[0] ? `[${f.id}](${f.references[0]})` : f.id;
    lines.push(
      `| ${[
        f.severity.level,
        id,
        cell(f.package.name),
        cell(f.package.version),
        cell(f.fixedVersion ?? "—"),
        ...(extra ? [cell(extra.value(f))] : []),
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

export function renderScanMarkdown(result: ScanResult): string {
  const total = result.findings.length;
  const parts = [
    `### Vulnerabilities in \`${cell(result.source.name)}\``,
    "",
    `${total} vulnerabilit${total === 1 ? "y" : "ies"} in ${result.packages.length} packages${result.ignored.length > 0 ? ` (${result.ignored.length} ignored)` : ""}.`,
    "",
    countsTable([["Findings", result.summary]]),
    "",
    findingsTable(result.findings),
  ];
  if (result.warnings.length > 0) parts.push("", ...result.warnings.map((w) => `> ${cell(w)}`));
  return `${parts.join("\n")}\n`;
}

export function renderCompareMarkdown(result: CompareResult): string {
  const parts = [
    `### Vulnerabilities: \`${cell(result.old.source.name)}\` → \`${cell(result.new.source.name)}\``,
    "",
    countsTable([
      ["Introduced", result.summary.introduced],
      ["Fixed", result.summary.fixed],
      ["Unchanged", result.summary.unchanged],
    ]),
    "",
    `#### Introduced (${result.introduced.length})`,
    "",
    findingsTable(result.introduced),
    "",
    `#### Fixed (${result.fixed.length})`,
    "",
    findingsTable(result.fixed),
    "",
    `#### Unchanged (${result.unchanged.length})`,
    "",
    findingsTable(
      result.unchanged.map((u) => u.finding),
      { name: "Was", value: (f) => result.unchanged.find((u) => u.finding === f)!.oldVersion },
    ),
  ];
  return `${parts.join("\n")}\n`;
}
