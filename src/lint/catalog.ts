/**
 * The rule catalogue behind `drydock rules`: every rule with its default severity, BuildKit
 * check names, whether a fixer exists, and (for drydock's own rules) the documentation page
 * shipped in the package's `docs/rules/` folder.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";
import { aliasesOf, ruleUrl } from "./engine.ts";
import { ALL_FIXERS } from "./fixes/index.ts";
import { ALL_RULES } from "./rules/index.ts";
import type { Rule, Severity } from "./types.ts";

export interface RuleInfo {
  code: string;
  /** hadolint's rules (DLxxxx) or drydock's own (DDxxx). */
  origin: "hadolint" | "drydock";
  severity: Severity;
  /** BuildKit build-check names the rule answers to. */
  aliases: string[];
  /** True when `drydock lint --fix` can repair findings of the rule. */
  fixable: boolean;
  message: string;
  url: string;
}

export interface RuleDetails extends RuleInfo {
  /** The Markdown page `docs/rules/<CODE>.md` for drydock's own rules; null when there is none. */
  doc: string | null;
}

/** What `explainRule` found for a code or name. */
export type RuleExplanation =
  | { kind: "rules"; rules: RuleDetails[] }
  | { kind: "shellcheck"; code: string; url: string };

/** The package's `docs/rules/` folder (`docs` is in package.json `files`, so npm installs it). */
export const RULE_DOCS_DIR = join(packageRoot(), "docs", "rules");

const FIXABLE = new Set(ALL_FIXERS.map((fixer) => fixer.code));

/** Every rule, hadolint's and drydock's, in code order. */
export function listRules(): RuleInfo[] {
  return [...ALL_RULES].sort((a, b) => a.code.localeCompare(b.code)).map(ruleInfo);
}

function ruleInfo(rule: Rule): RuleInfo {
  return {
    code: rule.code,
    origin: rule.code.startsWith("DD") ? "drydock" : "hadolint",
    severity: rule.severity,
    aliases: aliasesOf(rule),
    fixable: FIXABLE.has(rule.code),
    message: rule.message,
    url: ruleUrl(rule),
  };
}

/**
 * Details for a rule code (`DL3008`, `dd001`), a BuildKit check name (`JSONArgsRecommended`,
 * which several rules may share) or a ShellCheck code (`SC2086`, answered with its wiki
 * page); null when nothing matches.
 */
export function explainRule(name: string, docsDir: string = RULE_DOCS_DIR): RuleExplanation | null {
  const wanted = name.trim();
  if (/^SC\d{4}$/i.test(wanted)) {
    const code = wanted.toUpperCase();
    return { kind: "shellcheck", code, url: `https://www.shellcheck.net/wiki/${code}` };
  }
  const lower = wanted.toLowerCase();
  const matches = listRules().filter(
    (rule) =>
      rule.code.toLowerCase() === lower || rule.aliases.some((alias) => alias.toLowerCase() === lower),
  );
  if (matches.length === 0) return null;
  return { kind: "rules", rules: matches.map((rule) => ({ ...rule, doc: readRuleDoc(rule, docsDir) })) };
}

function readRuleDoc(rule: RuleInfo, docsDir: string): string | null {
  if (rule.origin !== "drydock") return null;
  try {
    return readFileSync(join(docsDir, `${rule.code}.md`), "utf8");
  } catch {
    return null;
  }
}
