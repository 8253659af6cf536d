import { type Dockerfile, parseDockerfile } from "../dockerfile/parse.ts";
import { withMemoSlot } from "../dockerfile/shapes.ts";
import { BUILDKIT_ALIASES } from "./buildkit-aliases.ts";
import { ALL_FIXERS } from "./fixes/index.ts";
import { type Pragmas, readPragmas } from "./pragmas.ts";
import { ALL_RULES } from "./rules/index.ts";
import { collectRuns } from "./run-info.ts";
import type { LintSettings } from "./settings.ts";
import type { ContextAccess, Finding, Fix, Fixer, Rule, RuleContext, RuleHit, Severity } from "./types.ts";

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

/** What the engine attaches to every hit of a rule: computed once per rule, not per file. */
interface RuleMeta {
  aliases: readonly string[];
  url: string;
  fixer: Fixer | undefined;
}

const ruleMeta = new WeakMap<Rule, RuleMeta>();

function metaOf(rule: Rule): RuleMeta {
  let meta = ruleMeta.get(rule);
  if (!meta) {
    meta = { aliases: aliasesOf(rule), url: ruleUrl(rule), fixer: FIXERS.get(rule.code) };
    ruleMeta.set(rule, meta);
  }
  return meta;
}

/**
 * A rule's hit. Its fix is computed on first read, not when the rule reports: a plain lint
 * only asks for the fixes of the findings it reports (`fixable`), after pragmas and ignores.
 */
class RuleHitRecord implements RawHit {
  readonly code: string;
  readonly severity: Severity;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly aliases: readonly string[];
  readonly url: string;
  #fixer: Fixer | undefined;
  #ctx: RuleContext | undefined;
  #fix: Fix | undefined;

  constructor(
    rule: Pick<Rule, "code" | "severity" | "message">,
    meta: RuleMeta,
    hit: RuleHit,
    ctx: RuleContext,
  ) {
    this.code = rule.code;
    this.severity = rule.severity;
    this.line = hit.line;
    this.column = hit.column ?? 1;
    this.endLine = hit.endLine ?? hit.line;
    this.endColumn = hit.endColumn ?? (ctx.dockerfile.lines[this.endLine - 1]?.length ?? 0) + 1;
    this.message = hit.message ?? rule.message;
    this.aliases = meta.aliases;
    this.url = meta.url;
    this.#fixer = meta.fixer;
    this.#ctx = meta.fixer ? ctx : undefined;
  }

  get fix(): Fix | undefined {
    const fixer = this.#fixer;
    if (fixer) {
      const ctx = this.#ctx!;
      this.#fixer = undefined;
      this.#ctx = undefined;
      this.#fix = fixer.fix(ctx, { code: this.code, line: this.line, message: this.message }) ?? undefined;
    }
    return this.#fix;
  }
}

/** DL1000, reported by the parser rather than by a rule. */
const SYNTAX_ERROR: Pick<Rule, "code" | "severity" | "message"> = {
  code: "DL1000",
  severity: "error",
  message: "",
};
const SYNTAX_ERROR_META: RuleMeta = {
  aliases: [],
  url: "https://github.com/hadolint/hadolint/wiki/DL1000",
  fixer: undefined,
};

/** Parses and runs every rule. Pure: no I/O beyond the given context reader. */
export function analyze(
  source: string,
  file: string,
  settings: LintSettings,
  context: ContextAccess = NO_CONTEXT,
  rules: readonly Rule[] = ALL_RULES,
): Analysis {
  return runRules(prepareAnalysis(source, file, settings, context), rules);
}

/**
 * The first half of `analyze`: parse, pragmas, syntax errors (DL1000) and the RUN scripts split
 * into commands, without running any rule. What ShellCheck needs (`buildShellScripts`) is
 * there, so it can start while the rules run.
 */
export function prepareAnalysis(
  source: string,
  file: string,
  settings: LintSettings,
  context: ContextAccess = NO_CONTEXT,
): Analysis {
  const dockerfile = parseDockerfile(source);
  const pragmas = readPragmas(dockerfile);
  const ctx: RuleContext = withMemoSlot({
    dockerfile,
    settings: {
      trustedRegistries: settings.trustedRegistries,
      labelSchema: settings.labelSchema,
      strictLabels: settings.strictLabels,
    },
    context,
    runs: collectRuns(dockerfile),
    file,
  });
  // Syntax errors are hits of the same class as the rules' (finalize reads one shape).
  const hits: RawHit[] = [];
  for (const error of dockerfile.errors) {
    const position = { line: error.line, column: error.column, endLine: error.line, endColumn: error.column };
    hits.push(
      new RuleHitRecord(SYNTAX_ERROR, SYNTAX_ERROR_META, { ...position, message: error.message }, ctx),
    );
  }
  return { file, dockerfile, pragmas, hits, ruleContext: ctx };
}

/** The second half of `analyze`: runs the rules over a prepared analysis, adding their hits. */
export function runRules(analysis: Analysis, rules: readonly Rule[] = ALL_RULES): Analysis {
  const ctx = analysis.ruleContext;
  const hits = analysis.hits;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    const found = rule.check(ctx);
    if (found.length === 0) continue;
    const meta = metaOf(rule);
    for (const hit of found) hits.push(new RuleHitRecord(rule, meta, hit, ctx));
  }
  return analysis;
}

/** Applies pragmas, ignores and severity overrides; drops `ignore`-level findings. */
export function finalize(analysis: Analysis, extra: RawHit[], settings: LintSettings): Finding[] {
  const policy = policyOf(settings);
  const findings: Finding[] = [];
  addFindings(analysis, analysis.hits, policy, settings, findings);
  addFindings(analysis, extra, policy, settings, findings);
  findings.sort(compareFindings);
  return findings;
}

/** What the settings say about findings by name. */
interface FindingPolicy {
  ignored: ReadonlySet<string>;
  /** Severity overrides by code or alias (the more severe level wins for a name in two lists). */
  levels: ReadonlyMap<string, Severity>;
}

function policyOf(settings: LintSettings): FindingPolicy {
  const levels = new Map<string, Severity>();
  for (const level of ["style", "info", "warning", "error"] as const) {
    for (const code of settings.override[level] ?? []) levels.set(code, level);
  }
  return { ignored: new Set(settings.ignored), levels };
}

function addFindings(
  analysis: Analysis,
  hits: readonly RawHit[],
  policy: FindingPolicy,
  settings: LintSettings,
  findings: Finding[],
): void {
  const { pragmas, dockerfile } = analysis;
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    const syntaxError = hit.code === "DL1000";
    if (!syntaxError) {
      if (policy.ignored.size > 0 && namedIn(policy.ignored, hit)) continue;
      if (!settings.disableIgnorePragma && isSuppressed(hit, pragmas, dockerfile)) continue;
      if (
        hit.aliases.length > 0 &&
        (pragmas.checkSkip.has("all") || hit.aliases.some((a) => pragmas.checkSkip.has(a)))
      )
        continue;
    }
    const level = syntaxError ? "error" : (overriddenLevel(policy.levels, hit) ?? hit.severity);
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
      // The fixer runs only here, for a finding that is reported and whose fix is switched on.
      fixable: settings.fix[hit.code] !== false && hit.fix !== undefined,
      url: hit.url,
    });
  }
}

/** True when the set holds the hit's code or one of its aliases. */
function namedIn(set: ReadonlySet<string>, hit: RawHit): boolean {
  if (set.has(hit.code)) return true;
  const aliases = hit.aliases;
  for (let k = 0; k < aliases.length; k++) if (set.has(aliases[k]!)) return true;
  return false;
}

/** The override of the first of the hit's names (code, then aliases) that has one. */
function overriddenLevel(levels: ReadonlyMap<string, Severity>, hit: RawHit): Severity | undefined {
  if (levels.size === 0) return undefined;
  const level = levels.get(hit.code);
  if (level) return level;
  for (const alias of hit.aliases) {
    const aliased = levels.get(alias);
    if (aliased) return aliased;
  }
  return undefined;
}

/** The order of findings in a file: by position, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || compareCodes(a.code, b.code);
}

/**
 * `a.localeCompare(b)`. Most findings of a file sit at column 1 of their line, so the sort
 * compares codes often: for plain codes (upper-case letters and digits: `DL3008`, `SC2086`,
 * `DD002`), the collation's order (digits before letters, then alphabetical, a prefix first) is
 * the order of their characters, found without ICU.
 */
function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  if (isPlainCode(a) && isPlainCode(b)) return a < b ? -1 : 1;
  return a.localeCompare(b);
}

/** `^[0-9A-Z]+$` */
function isPlainCode(code: string): boolean {
  if (code.length === 0) return false;
  for (let k = 0; k < code.length; k++) {
    const c = code.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

function isSuppressed(hit: RawHit, pragmas: Pragmas, df: Dockerfile): boolean {
  if (pragmas.global.size > 0 && namedIn(pragmas.global, hit)) return true;
  if (pragmas.byLine.size > 0) {
    const atLine = pragmas.byLine.get(hit.line);
    if (atLine !== undefined && namedIn(atLine, hit)) return true;
  }
  if (pragmas.byStage.size === 0) return false;
  const instruction = df.instructions.find((i) => i.line === hit.line);
  if (instruction) {
    const inStage = pragmas.byStage.get(instruction.stage);
    if (inStage !== undefined && namedIn(inStage, hit)) return true;
  }
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
