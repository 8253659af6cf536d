import type { Dockerfile, Instruction } from "../dockerfile/parse.ts";
import type { ShellCommand } from "../dockerfile/shell.ts";

/** hadolint's levels, most severe first. `ignore` findings are dropped at output. */
export const SEVERITIES = ["error", "warning", "info", "style", "ignore"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(level: Severity | "none"): number {
  return level === "none" ? -1 : SEVERITIES.length - SEVERITIES.indexOf(level);
}

/** A replacement of source[start, end) (LF-normalised offsets) by text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

/** What a rule reports; the engine adds file, level, code and url. */
export interface RuleHit {
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Overrides the rule's message (e.g. to name the label). */
  message?: string;
}

export type LabelType = "text" | "url" | "semver" | "hash" | "rfc3339" | "spdx" | "email";

/** Settings rules may read (hadolint's configuration keys that change rule behaviour). */
export interface RuleSettings {
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
}

/** Read-only view of the files around the Dockerfile (for context-aware rules like DD003). */
export interface ContextAccess {
  /** Directory of the build context, or null when unknown (stdin). */
  dir: string | null;
  readFile(relativePath: string): string | null;
}

/** A RUN (or ONBUILD RUN) with its script split into shell commands. */
export interface RunInfo {
  instruction: Instruction;
  /** The RUN itself, or the ONBUILD that wraps it (for positions). */
  outer: Instruction;
  script: string;
  commands: ShellCommand[];
}

export interface RuleContext {
  dockerfile: Dockerfile;
  settings: RuleSettings;
  context: ContextAccess;
  /** All RUN instructions (ONBUILD RUN included) with parsed shell commands. */
  runs: RunInfo[];
  /** The Dockerfile's path as given to analyze (DD003 looks for `<name>.dockerignore` next to it). */
  file?: string;
}

/** The fixed shape every rule file exports as `rule`. */
export interface Rule {
  code: string;
  severity: Severity;
  message: string;
  /** BuildKit build-check names this rule covers; usable wherever a code is. */
  aliases?: readonly string[];
  /** Link to the rule's documentation. */
  url?: string;
  check(ctx: RuleContext): RuleHit[];
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  level: Severity;
  code: string;
  message: string;
  aliases: string[];
  fixable: boolean;
  url: string;
}

/** Where a finding sits, as a fixer sees it. */
export interface HitLocation {
  code: string;
  line: number;
  message: string;
}

/**
 * The fixed shape every fix file (`src/lint/fixes/<CODE>.ts`) exports as `fixer`: given the
 * analysed Dockerfile and one finding of `code`, the edits that repair it while keeping the
 * build's meaning, or null when no safe fix exists for this occurrence.
 */
export interface Fixer {
  code: string;
  fix(ctx: RuleContext, hit: HitLocation): Fix | null;
}
