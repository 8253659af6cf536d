import type { LintReport } from "../../lint/lint.ts";
import { ALL_RULES } from "../../lint/rules/index.ts";
import type { Finding, Rule, Severity } from "../../lint/types.ts";
import { renderSarifLog } from "../sarif.ts";
import type { RenderOptions } from "./options.ts";
import { pathToUriReference } from "./paths.ts";

/**
 * SARIF 2.1.0 (what GitHub code scanning and other result viewers read): one run, a rule
 * descriptor for every code that has a finding, a result per finding.
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function renderSarif(report: LintReport, options: RenderOptions): string {
  const findings = report.files.flatMap((file) => file.findings);
  const rules = ruleDescriptors(findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return renderSarifLog({
    version: options.version,
    rules,
    // Columns count UTF-16 code units, as JavaScript strings do.
    columnKind: "utf16CodeUnits",
    results: findings.map((f) => result(f, ruleIndex.get(f.code)!, options)),
  });
}

/** SARIF has three levels: info and style both become `note` (as in hadolint). */
function sarifLevel(level: Severity): "error" | "warning" | "note" | "none" {
  if (level === "error" || level === "warning") return level;
  return level === "ignore" ? "none" : "note";
}

const RULES_BY_CODE = new Map<string, Rule>(ALL_RULES.map((rule) => [rule.code, rule]));

interface RuleDescriptor {
  id: string;
  shortDescription: { text: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; aliases: string[] };
}

function ruleDescriptors(findings: Finding[]): RuleDescriptor[] {
  const byCode = new Map<string, RuleDescriptor>();
  for (const f of findings) {
    if (byCode.has(f.code)) continue;
    // ShellCheck codes and DL1000 have no Rule: their first message and level stand in.
    const rule = RULES_BY_CODE.get(f.code);
    byCode.set(f.code, {
      id: f.code,
      shortDescription: { text: rule?.message ?? f.message },
      helpUri: f.url,
      defaultConfiguration: { level: sarifLevel(rule?.severity ?? f.level) },
      properties: { tags: tagsOf(f), aliases: f.aliases },
    });
  }
  return [...byCode.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function tagsOf(f: Finding): string[] {
  const tags = f.code.startsWith("SC") ? ["shell", "shellcheck"] : ["dockerfile"];
  if (f.aliases.length > 0) tags.push("buildkit");
  return tags;
}

function result(f: Finding, ruleIndex: number, options: RenderOptions) {
  // A region never ends before it starts; endColumn is exclusive in both SARIF and Finding.
  const endColumn = f.endLine === f.line ? Math.max(f.endColumn, f.column) : Math.max(f.endColumn, 1);
  return {
    ruleId: f.code,
    ruleIndex,
    level: sarifLevel(f.level),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUriReference(f.file, options.cwd) },
          region: {
            startLine: f.line,
            startColumn: Math.max(f.column, 1),
            endLine: Math.max(f.endLine, f.line),
            endColumn,
          },
        },
      },
    ],
    properties: { fixable: f.fixable },
  };
}
