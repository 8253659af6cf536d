import type { Finding, Severity } from "../../lint/types.ts";

export interface RenderOptions {
  color: boolean;
  /** drydock's version, for tool metadata in SARIF. */
  version: string;
  /**
   * Directory that report paths are made relative to (SARIF, GitLab) when a file was given
   * as an absolute path; omitted, paths stay as given.
   */
  cwd?: string;
}

/** Where drydock lives; SARIF's `informationUri`. */
export const DRYDOCK_HOME = "https://github.com/drydock-dev/drydock";

/** Levels a finding can have (`ignore` findings are dropped before rendering). */
export type ReportedLevel = Exclude<Severity, "ignore">;

export const REPORTED_LEVELS: readonly ReportedLevel[] = ["error", "warning", "info", "style"];

/** Findings per level, in REPORTED_LEVELS order. */
export function countByLevel(findings: readonly Finding[]): Record<ReportedLevel, number> {
  const counts: Record<ReportedLevel, number> = { error: 0, warning: 0, info: 0, style: 0 };
  for (const finding of findings) if (finding.level !== "ignore") counts[finding.level]++;
  return counts;
}

/** The finding's code with its BuildKit check names: `DL3000 (WorkdirRelativePath)`. */
export function codeWithAliases(finding: Finding): string {
  return finding.aliases.length > 0 ? `${finding.code} (${finding.aliases.join(", ")})` : finding.code;
}
