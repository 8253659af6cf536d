import type { RuleDetails, RuleExplanation, RuleInfo } from "../../lint/catalog.ts";
import { oneLine, table } from "../format.ts";

/** `drydock rules`: one row a rule (code, default severity, fixable, BuildKit names, message). */
export function renderRuleList(rules: readonly RuleInfo[]): string {
  const rows = rules.map((rule) => [
    rule.code,
    rule.severity,
    rule.fixable ? "yes" : "no",
    rule.aliases.join(", ") || "-",
    oneLine(rule.message, 72),
  ]);
  return `${table(rows, ["CODE", "SEVERITY", "FIX", "BUILDKIT", "MESSAGE"])}\n`;
}

/** `drydock rules CODE`: the rule's facts, then its documentation page when it has one. */
export function renderRuleExplanation(explanation: RuleExplanation): string {
  if (explanation.kind === "shellcheck") {
    return (
      `${explanation.code} is a ShellCheck check (drydock lint runs ShellCheck on RUN instructions).\n` +
      `See ${explanation.url}\n`
    );
  }
  return explanation.rules.map(renderRule).join("\n");
}

function renderRule(rule: RuleDetails): string {
  const facts = [
    `${rule.code} (${rule.origin} rule)`,
    `  severity: ${rule.severity}`,
    `  fixable:  ${rule.fixable ? "yes (drydock lint --fix)" : "no"}`,
    `  buildkit: ${rule.aliases.join(", ") || "-"}`,
    `  message:  ${rule.message}`,
    `  docs:     ${rule.url}`,
  ];
  const doc = rule.doc === null ? "" : `\n${rule.doc.trimEnd()}\n`;
  return `${facts.join("\n")}\n${doc}`;
}
