/**
 * What the database keeps of an OSV record: the fields matching and reports use, in a compact
 * JSON shape. GIT ranges (commit graphs we cannot evaluate offline) are dropped; `versions`
 * lists are kept, since a record may list affected versions its ranges do not cover.
 */
import { ecosystemBase, type OsvAffected, type OsvRecord, type OsvSeverity, packageKey } from "../osv.ts";
import { cvssBaseScore } from "../severity/cvss.ts";

/** Event kinds, one letter each: introduced, fixed, last_affected, limit. */
export type EventKind = "i" | "f" | "l" | "x";
export type StoredEvent = [kind: EventKind, version: string];

/** `E`: ECOSYSTEM (the ecosystem's own version order), `S`: SEMVER. */
export interface StoredRange {
  t: "E" | "S";
  e: StoredEvent[];
}

/**
 * A severity as stored: [type, score as written], plus for CVSS vectors the base score computed
 * at import (null when the vector is not a complete one), so scans never score vectors.
 */
export type StoredScore = [type: string, value: string] | [type: string, value: string, base: number | null];

/** One affected package of a record, as the `affected.data` column holds it. */
export interface StoredAffected {
  r?: StoredRange[];
  v?: string[];
  /** Package-level severities. */
  s?: StoredScore[];
  /** Distro rating: Debian urgency (ecosystem_specific.urgency). */
  u?: string;
}

/** The record-level facts, as the `vulns.severity` column holds them. */
export interface StoredSeverity {
  /** Record-level severities. */
  s?: StoredScore[];
  /** GitHub advisory rating (database_specific.severity): LOW, MODERATE, HIGH, CRITICAL. */
  g?: string;
}

export interface VulnRow {
  id: string;
  modified: string;
  published: string | null;
  summary: string | null;
  severity: string | null;
  refs: string | null;
  /** `{"a": aliases, "u": upstream}` as the `vulns.ids` column holds it, or null. */
  ids: string | null;
  aliases: string[];
  upstream: string[];
  affected: AffectedRow[];
}

export interface AffectedRow {
  ecosystem: string;
  /** Normalised name (packageKey). */
  package: string;
  data: string;
}

const EVENT_LETTER: Record<string, EventKind> = {
  introduced: "i",
  fixed: "f",
  last_affected: "l",
  limit: "x",
};

/** How many reference URLs a record keeps: advisories first. */
const MAX_REFERENCES = 6;
const MAX_SUMMARY = 300;

function pairs(list: OsvSeverity[] | undefined): StoredScore[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((s) => {
    if (!s.type.toUpperCase().startsWith("CVSS")) return [s.type, s.score];
    return [s.type, s.score, cvssBaseScore(s.score)?.baseScore ?? null];
  });
}

function storedRanges(affected: OsvAffected): StoredRange[] {
  const out: StoredRange[] = [];
  for (const range of affected.ranges ?? []) {
    const type = range.type.toUpperCase();
    if (type !== "ECOSYSTEM" && type !== "SEMVER") continue;
    const events: StoredEvent[] = [];
    for (const event of range.events) {
      for (const [key, value] of Object.entries(event)) {
        const letter = EVENT_LETTER[key];
        if (letter && typeof value === "string") events.push([letter, value]);
      }
    }
    if (events.some(([kind]) => kind === "i")) out.push({ t: type === "SEMVER" ? "S" : "E", e: events });
  }
  return out;
}

function urgencyOf(affected: OsvAffected): string | undefined {
  const value = affected.ecosystem_specific?.urgency ?? affected.database_specific?.urgency;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A one-line summary: the record's, else the first paragraph of its details. */
export function summaryOf(record: Pick<OsvRecord, "summary" | "details">): string | undefined {
  const text = record.summary?.trim() || record.details?.trim().split(/\n\s*\n/, 1)[0];
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, " ");
  return flat.length > MAX_SUMMARY ? `${flat.slice(0, MAX_SUMMARY - 1)}…` : flat;
}

function referencesOf(record: OsvRecord): string[] {
  const refs = record.references ?? [];
  const ranked = [...refs.filter((r) => r.type === "ADVISORY"), ...refs.filter((r) => r.type !== "ADVISORY")];
  return [...new Set(ranked.map((r) => r.url))].slice(0, MAX_REFERENCES);
}

/** The rows for one record (not withdrawn); affected entries we cannot match on are left out. */
export function toRow(record: OsvRecord): VulnRow {
  const affected: AffectedRow[] = [];
  for (const entry of record.affected ?? []) {
    if (!entry.package) continue;
    const stored: StoredAffected = {};
    const ranges = storedRanges(entry);
    if (ranges.length > 0) stored.r = ranges;
    if (entry.versions && entry.versions.length > 0) stored.v = entry.versions;
    if (!stored.r && !stored.v) continue;
    const severity = pairs(entry.severity);
    if (severity) stored.s = severity;
    const urgency = urgencyOf(entry);
    if (urgency) stored.u = urgency;
    const ecosystem = entry.package.ecosystem.trim();
    affected.push({
      ecosystem,
      package: packageKey(ecosystem, entry.package.name),
      data: JSON.stringify(stored),
    });
  }
  const severity: StoredSeverity = {};
  const scores = pairs(record.severity);
  if (scores) severity.s = scores;
  const ghsa = record.database_specific?.severity;
  if (typeof ghsa === "string" && ghsa.trim() !== "") severity.g = ghsa.trim().toUpperCase();
  const refs = referencesOf(record);
  const id = record.id.trim();
  const others = (list: string[] | undefined) =>
    [...new Set((list ?? []).map((a) => a.trim()))].filter((a) => a && a !== id);
  const aliases = others(record.aliases);
  const upstream = others(record.upstream);
  return {
    id,
    modified: record.modified,
    published: record.published ?? null,
    summary: summaryOf(record) ?? null,
    severity: Object.keys(severity).length > 0 ? JSON.stringify(severity) : null,
    refs: refs.length > 0 ? JSON.stringify(refs) : null,
    ids: idsColumn(aliases, upstream),
    aliases,
    upstream,
    affected,
  };
}

export function idsColumn(aliases: readonly string[], upstream: readonly string[]): string | null {
  if (aliases.length === 0 && upstream.length === 0) return null;
  return JSON.stringify({
    ...(aliases.length > 0 ? { a: aliases } : {}),
    ...(upstream.length > 0 ? { u: upstream } : {}),
  });
}

/** Ecosystem base names a row touches (for per-ecosystem bookkeeping). */
export function rowEcosystems(row: VulnRow): Set<string> {
  return new Set(row.affected.map((a) => ecosystemBase(a.ecosystem)));
}
