import { type Dockerfile, parseDockerfile } from "../dockerfile/parse.ts";
import { BUILDKIT_ALIASES } from "./buildkit-aliases.ts";
import { ALL_FIXERS } from "./fixes/index.ts";
import { type Pragmas, readPragmas } from "./pragmas.ts";
import { ALL_RULES } from "./rules/index.ts";
import { collectRuns } from "./run-info.ts";
import type { LintSettings } from "./settings.ts";
import type { ContextAccess, Finding, Fix, Fixer, Rule, RuleContext, Severity } from "./types.ts";

export const RULE_DOCS_BASE = "https://github.com/drydock-dev/drydock/blob/main/docs/rules";

/** A finding before pragmas, overrides and ignores are applied. */
export interface RawHit {
  code: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  aliases: readonly string[];
  url: string;
  fix?: Fix;
}

export interface Analysis {
  file: string;
  dockerfile: Dockerfile;
  pragmas: Pragmas;
  hits: RawHit[];
  /** The context rules ran with (fixers and ShellCheck reuse it). */
  ruleContext: RuleContext;
}

const FIXERS = new Map<string, Fixer>(ALL_FIXERS.map((f) => [f.code, f]));

/** BuildKit check names for a code: the rule's own plus the shared alias table. */
export function aliasesOf(rule: Pick<Rule, "code" | "aliases">): string[] {
  return [...new Set([...(rule.aliases ?? []), ...(BUILDKIT_ALIASES[rule.code] ?? [])])];
}

const NO_CONTEXT: ContextAccess = { dir: null, readFile: () => null };

export function ruleUrl(rule: Pick<Rule, "code" | "url">): string {
  if (rule.url) return rule.url;
  if (rule.code.startsWith("DL")) return `https://github.com/hadolint/hadolint/wiki/${rule.code}`;
  return `${RULE_DOCS_BASE}/${rule.code}.md`;
}

/** Parses and runs every rule. Pure: no I/O beyond the given context reader. */
export function analyze(
  source: string,
  file: string,
  settings: LintSettings,
  context: ContextAccess = NO_CONTEXT,
  rules: readonly Rule[] = ALL_RULES,
): Analysis {
  const dockerfile = parseDockerfile(source);
  const pragmas = readPragmas(dockerfile);
  const hits: RawHit[] = [];
  for (const error of dockerfile.errors) {
    hits.push({
      code: "DL1000",
      severity: "error",
      line: error.line,
      column: error.column,
      endLine: error.line,
      endColumn: error.column,
      message: error.message,
      aliases: [],
      url: "https://github.com/hadolint/hadolint/wiki/DL1000",
    });
  }
  const ctx: RuleContext = {
    dockerfile,
    settings: {
      trustedRegistries: settings.trustedRegistries,
      labelSchema: settings.labelSchema,
      strictLabels: settings.strictLabels,
    },
    context,
    runs: collectRuns(dockerfile),
    file,
  };
  for (const rule of rules) {
    const fixer = FIXERS.get(rule.code);
    const aliases = aliasesOf(rule);
    for (const hit of rule.check(ctx)) {
      const endLine = hit.endLine ?? hit.line;
      const message = hit.message ?? rule.message;
      hits.push({
        code: rule.code,
        severity: rule.severity,
        line: hit.line,
        column: hit.column ?? 1,
        endLine,
        endColumn: hit.endColumn ?? (dockerfile.lines[endLine - 1]?.length ?? 0) + 1,
        message,
        aliases,
        url: ruleUrl(rule),
        fix: fixer?.fix(ctx, { code: rule.code, line: hit.line, message }) ?? undefined,
      });
    }
  }
  return { file, dockerfile, pragmas, hits, ruleContext: ctx };
}

/** Applies pragmas, ignores and severity overrides; drops `ignore`-level findings. */
export function finalize(analysis: Analysis, extra: RawHit[], settings: LintSettings): Finding[] {
  const { pragmas, dockerfile } = analysis;
  const ignored = new Set(settings.ignored);
  const levelOf = severityOverrides(settings);
  const all = [...analysis.hits, ...extra];
  const findings: Finding[] = [];
  for (const hit of all) {
    const names = [hit.code, ...hit.aliases];
    if (hit.code !== "DL1000") {
      if (names.some((n) => ignored.has(n))) continue;
      if (!settings.disableIgnorePragma && isSuppressed(hit, names, pragmas, dockerfile)) continue;
      if (
        hit.aliases.length > 0 &&
        (pragmas.checkSkip.has("all") || hit.aliases.some((a) => pragmas.checkSkip.has(a)))
      )
        continue;
    }
    const level = hit.code === "DL1000" ? "error" : (levelOf(names) ?? hit.severity);
    if (level === "ignore") continue;
    findings.push({
      file: analysis.file,
      line: hit.line,
      column: hit.column,
      endLine: hit.endLine,
      endColumn: hit.endColumn,
      level,
      code: hit.code,
      message: hit.message,
      aliases: [...hit.aliases],
      fixable: hit.fix !== undefined && settings.fix[hit.code] !== false,
      url: hit.url,
    });
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
  return findings;
}

function severityOverrides(settings: LintSettings): (names: string[]) => Severity | undefined {
  const map = new Map<string, Severity>();
  for (const level of ["style", "info", "warning", "error"] as const) {
    for (const code of settings.override[level] ?? []) map.set(code, level);
  }
  return (names) => {
    for (const n of names) {
      const level = map.get(n);
      if (level) return level;
    }
    return undefined;
  };
}

function isSuppressed(hit: RawHit, names: string[], pragmas: Pragmas, df: Dockerfile): boolean {
  const matches = (set: Set<string> | undefined) => !!set && names.some((n) => set.has(n));
  if (matches(pragmas.global)) return true;
  if (matches(pragmas.byLine.get(hit.line))) return true;
  const instruction = df.instructions.find((i) => i.line === hit.line);
  if (instruction && matches(pragmas.byStage.get(instruction.stage))) return true;
  return false;
}

/** True when any finding is at or above the failure threshold. */
export function failsThreshold(findings: Finding[], settings: LintSettings): boolean {
  if (settings.noFail) return false;
  if (findings.some((f) => f.code === "DL1000")) return true;
  if (settings.failureThreshold === "none") return false;
  const order = ["style", "info", "warning", "error"];
  const min = order.indexOf(settings.failureThreshold === "ignore" ? "style" : settings.failureThreshold);
  return findings.some((f) => order.indexOf(f.level) >= min);
}
