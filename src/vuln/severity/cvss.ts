/**
 * CVSS base scores from vector strings, computed by ae-cvss-calculator (FIRST's formulas for
 * v2.0, v3.0, v3.1 and v4.0). The library scores a vector with missing base metrics as 0, so
 * vectors are checked here first: every base metric present, once, with a value the version
 * defines. Qualitative ratings follow the specification of each version.
 *
 * Specs: https://www.first.org/cvss/v2/guide, https://www.first.org/cvss/v3.1/specification-document,
 * https://www.first.org/cvss/v4.0/specification-document
 */
import { createRequire } from "node:module";

type Calculator = typeof import("ae-cvss-calculator");

/**
 * Loaded on first use: imports score vectors, scans read the scores stored at import, and the
 * library takes longer to load (~35 ms) than a scan spends on severities.
 */
let loaded: Calculator | undefined;
function calculator(): Calculator {
  loaded ??= createRequire(import.meta.url)("ae-cvss-calculator") as Calculator;
  return loaded;
}

export type CvssVersion = "2.0" | "3.0" | "3.1" | "4.0";

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  baseScore: number;
}

/** Base metrics and their allowed values, per version. */
const BASE_METRICS: Record<CvssVersion, Record<string, string>> = {
  "2.0": { AV: "LAN", AC: "HML", Au: "MSN", C: "NPC", I: "NPC", A: "NPC" },
  "3.0": { AV: "NALP", AC: "LH", PR: "NLH", UI: "NR", S: "UC", C: "HLN", I: "HLN", A: "HLN" },
  "3.1": { AV: "NALP", AC: "LH", PR: "NLH", UI: "NR", S: "UC", C: "HLN", I: "HLN", A: "HLN" },
  "4.0": {
    AV: "NALP",
    AC: "LH",
    AT: "NP",
    PR: "NLH",
    UI: "NPA",
    VC: "HLN",
    VI: "HLN",
    VA: "HLN",
    SC: "HLN",
    SI: "HLN",
    SA: "HLN",
  },
};

/** The CVSS version a vector is written in (v2 vectors have no prefix but an `Au` metric). */
export function cvssVersionOf(vector: string): CvssVersion | undefined {
  return versionOf(vector.trim().replace(/^\((.*)\)$/, "$1"));
}

function versionOf(vector: string): CvssVersion | undefined {
  const prefix = /^CVSS:(\d\.\d)\//.exec(vector)?.[1];
  if (prefix === "3.0" || prefix === "3.1" || prefix === "4.0") return prefix;
  if (prefix === undefined && /(^|\/)Au:/.test(vector)) return "2.0";
  return undefined;
}

function metrics(vector: string): Map<string, string> | undefined {
  const body = vector.replace(/^CVSS:\d\.\d\//, "").replace(/^\(|\)$/g, "");
  const out = new Map<string, string>();
  for (const part of body.split("/")) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match || out.has(match[1]!)) return undefined;
    out.set(match[1]!, match[2]!);
  }
  return out;
}

/** Whether a vector has every base metric of its version with a defined value. */
export function isCompleteVector(vector: string): boolean {
  const version = versionOf(vector.trim());
  if (!version) return false;
  const found = metrics(vector.trim());
  if (!found) return false;
  return Object.entries(BASE_METRICS[version]).every(([metric, values]) => {
    const value = found.get(metric);
    return value !== undefined && value.length === 1 && values.includes(value);
  });
}

/** Scores by vector: a scan meets the same few thousand vectors again and again. */
const SCORES = new Map<string, CvssScore | null>();
const MAX_CACHED = 50_000;

/** The base score of a CVSS vector, or undefined when the vector is not a complete one. */
export function cvssBaseScore(vector: string): CvssScore | undefined {
  const cached = SCORES.get(vector);
  if (cached !== undefined) return cached ?? undefined;
  const score = computeBaseScore(vector);
  if (SCORES.size >= MAX_CACHED) SCORES.clear();
  SCORES.set(vector, score ?? null);
  return score;
}

function computeBaseScore(vector: string): CvssScore | undefined {
  const text = vector.trim().replace(/^\((.*)\)$/, "$1");
  const version = versionOf(text);
  if (!version || !isCompleteVector(text)) return undefined;
  try {
    let base: number | undefined;
    const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = calculator();
    if (version === "2.0") base = new Cvss2(text).calculateScores().base;
    else if (version === "3.0") base = new Cvss3P0(text).calculateScores().base;
    else if (version === "3.1") base = new Cvss3P1(text).calculateScores().base;
    // v4: the base score proper (CVSS-B) is the overall score of the base metrics alone; scoring
    // only those is also three times faster than calculateScores (v4 scoring is costly).
    else base = new Cvss4P0(baseOnly(text, version)).calculateOverallScore();
    if (typeof base !== "number" || Number.isNaN(base)) return undefined;
    return { version, vector: text, baseScore: base };
  } catch {
    return undefined;
  }
}

/** The vector with its base metrics only (threat, environmental and supplemental dropped). */
function baseOnly(vector: string, version: CvssVersion): string {
  const found = metrics(vector)!;
  const parts = Object.keys(BASE_METRICS[version]).map((metric) => `${metric}:${found.get(metric)}`);
  return `CVSS:${version}/${parts.join("/")}`;
}

export type CvssRating = "none" | "low" | "medium" | "high" | "critical";

/**
 * The qualitative rating of a base score: v3.x and v4.0 share one scale (None 0.0, Low 0.1-3.9,
 * Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0); v2 has Low 0.0-3.9, Medium 4.0-6.9,
 * High 7.0-10.0 (NVD's v2 scale).
 */
export function cvssRating(score: CvssScore): CvssRating {
  const s = score.baseScore;
  if (score.version === "2.0") return s >= 7 ? "high" : s >= 4 ? "medium" : "low";
  if (s === 0) return "none";
  return s >= 9 ? "critical" : s >= 7 ? "high" : s >= 4 ? "medium" : "low";
}
