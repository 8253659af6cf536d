/**
 * One severity per finding, normalised to grype's scale (negligible, low, medium, high,
 * critical, unknown) and kept with every source score it was chosen from:
 *  - CVSS v2, v3.x and v4 vectors (OSV `severity[]`, record or package level): base score
 *    computed, rated per its version's scale (v3/v4 "none" is negligible);
 *  - GitHub advisories' `database_specific.severity` (LOW, MODERATE, HIGH, CRITICAL);
 *  - Debian's urgency (`ecosystem_specific.urgency`: unimportant, low, medium, high; "not yet
 *    assigned" is no rating) and Ubuntu's priority (OSV severity type `Ubuntu`).
 * For distro packages the distro's own rating wins (it rates the issue as shipped in that
 * release, as trivy's vendor severity does); otherwise the newest CVSS version, then GitHub's.
 */
import type { StoredAffected, StoredScore, StoredSeverity } from "../db/rows.ts";
import { type CvssScore, cvssBaseScore, cvssRating, cvssVersionOf } from "./cvss.ts";

export type SeverityLevel = "unknown" | "negligible" | "low" | "medium" | "high" | "critical";

/** Lowest first: `--fail-on high` fails on high and critical, never on unknown. */
export const SEVERITY_LEVELS: readonly SeverityLevel[] = [
  "unknown",
  "negligible",
  "low",
  "medium",
  "high",
  "critical",
];

const RANKS: Readonly<Record<SeverityLevel, number>> = {
  unknown: 0,
  negligible: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

export function severityRank(level: SeverityLevel): number {
  return Object.hasOwn(RANKS, level) ? RANKS[level] : -1;
}

export function isSeverityLevel(text: string): text is SeverityLevel {
  return (SEVERITY_LEVELS as readonly string[]).includes(text);
}

export interface SeverityScore {
  /** `CVSS_V3`, `CVSS_V4`, `CVSS_V2`, `GHSA`, `Debian`, `Ubuntu`. */
  source: string;
  level: SeverityLevel;
  /** CVSS base score. */
  score?: number;
  vector?: string;
  /** The rating as the source wrote it (`MODERATE`, `unimportant`). */
  rating?: string;
  /** The record the score came from. */
  record: string;
}

export interface Severity {
  level: SeverityLevel;
  /** The chosen source's numeric score, when it has one. */
  score?: number;
  source?: string;
  vector?: string;
  scores: SeverityScore[];
}

const GHSA_LEVELS: Record<string, SeverityLevel> = {
  LOW: "low",
  MODERATE: "medium",
  MEDIUM: "medium",
  HIGH: "high",
  CRITICAL: "critical",
};

const DEBIAN_URGENCY: Record<string, SeverityLevel> = {
  unimportant: "negligible",
  low: "low",
  medium: "medium",
  high: "high",
};

const UBUNTU_PRIORITY: Record<string, SeverityLevel> = {
  negligible: "negligible",
  low: "low",
  medium: "medium",
  high: "high",
  critical: "critical",
};

/** Debian writes `low**` (the stars mark a rating given without a DSA): the word is the rating. */
function debianLevel(urgency: string): SeverityLevel | undefined {
  return DEBIAN_URGENCY[urgency.toLowerCase().replace(/[^a-z]/g, "")];
}

function cvssScore(
  type: string,
  vector: string,
  record: string,
  stored?: number | null,
): SeverityScore | undefined {
  // The import computed the base score (null: not a complete vector); older rows have none.
  const version = cvssVersionOf(vector);
  const score: CvssScore | undefined =
    stored === null
      ? undefined
      : stored !== undefined && version
        ? { version, vector: vector.trim(), baseScore: stored }
        : cvssBaseScore(vector);
  if (!score) return undefined;
  const rating = cvssRating(score);
  return {
    source: type.toUpperCase().startsWith("CVSS_") ? type.toUpperCase() : `CVSS_V${score.version[0]}`,
    level: rating === "none" ? "negligible" : rating,
    score: score.baseScore,
    vector: score.vector,
    record,
  };
}

function scoreOf([type, value, base]: StoredScore, record: string): SeverityScore | undefined {
  const kind = type.toUpperCase();
  if (kind.startsWith("CVSS")) return cvssScore(kind, value, record, base);
  if (kind === "UBUNTU") {
    const level = UBUNTU_PRIORITY[value.toLowerCase().trim()];
    return level ? { source: "Ubuntu", level, rating: value, record } : undefined;
  }
  return undefined;
}

/** What one matched record says about severity, for one affected package. */
export interface SeverityInput {
  record: string;
  severity: StoredSeverity;
  affected?: StoredAffected;
}

/** Every score the inputs carry, de-duplicated by source and value. */
export function collectScores(inputs: readonly SeverityInput[]): SeverityScore[] {
  const out: SeverityScore[] = [];
  // A finding has a handful of scores: a linear search beats building keys for a set.
  const same = (a: SeverityScore, b: SeverityScore) =>
    a.source === b.source && (a.vector ?? a.rating ?? "") === (b.vector ?? b.rating ?? "");
  const add = (score: SeverityScore | undefined) => {
    if (score && !out.some((s) => same(s, score))) out.push(score);
  };
  for (const input of inputs) {
    for (const stored of input.affected?.s ?? []) add(scoreOf(stored, input.record));
    for (const stored of input.severity.s ?? []) add(scoreOf(stored, input.record));
    const ghsa = input.severity.g;
    if (ghsa && GHSA_LEVELS[ghsa])
      add({ source: "GHSA", level: GHSA_LEVELS[ghsa]!, rating: ghsa, record: input.record });
    const urgency = input.affected?.u;
    const level = urgency ? debianLevel(urgency) : undefined;
    if (urgency && level) add({ source: "Debian", level, rating: urgency, record: input.record });
  }
  return out;
}

const DISTRO_SOURCES = ["Debian", "Ubuntu"];
const CVSS_NEWEST_FIRST = ["CVSS_V4", "CVSS_V3", "CVSS_V2"];

function pick(scores: readonly SeverityScore[], sources: readonly string[]): SeverityScore | undefined {
  for (const source of sources) {
    const found = scores.filter((s) => s.source === source);
    if (found.length === 0) continue;
    // Several records of one vulnerability may disagree: the highest rating of the source.
    const gain = (a: SeverityScore, b: SeverityScore) =>
      severityRank(b.level) - severityRank(a.level) || (b.score ?? 0) - (a.score ?? 0);
    return found.reduce((a, b) => (gain(a, b) > 0 ? b : a));
  }
  return undefined;
}

/**
 * The severity of a finding from its scores; `distro` puts the distro's rating first. The
 * severity keeps the scores array it is given (a scan makes one per finding).
 */
export function chooseSeverity(scores: SeverityScore[], distro: boolean): Severity {
  const order = distro
    ? [...DISTRO_SOURCES, ...CVSS_NEWEST_FIRST, "GHSA"]
    : [...CVSS_NEWEST_FIRST, "GHSA", ...DISTRO_SOURCES];
  const chosen = pick(scores, order);
  if (!chosen) return { level: "unknown", scores };
  return {
    level: chosen.level,
    ...(chosen.score !== undefined ? { score: chosen.score } : {}),
    source: chosen.source,
    ...(chosen.vector ? { vector: chosen.vector } : {}),
    scores,
  };
}
