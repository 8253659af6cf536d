/**
 * `drydock scan`: the packages of an image or a directory (through drydock's SBOM code) or of an
 * SBOM file (`sbom:FILE`), matched against the local database, filtered (--ignore-unfixed),
 * with ignore rules and VEX applied; and the CI gate: `--fail-on SEVERITY` exits 2 (grype's
 * convention), `--exit-code N` exits N (trivy's), both together exit N at or above SEVERITY.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.ts";
import type { ImageSourceProviders } from "../image/providers.ts";
import type { Platform } from "../image/types.ts";
import type { Scope } from "../sbom/files.ts";
import { staleWarning } from "./db/status.ts";
import { noteSeenEcosystems, VulnStore } from "./db/store.ts";
import { applyIgnores, type IgnoredFinding, type IgnoreSet } from "./ignore/apply.ts";
import { matchPackages } from "./match/match.ts";
import { readSbomDocument } from "./sbom-input.ts";
import { SEVERITY_LEVELS, type SeverityLevel, severityRank } from "./severity/severity.ts";
import type { DistroRelease, Finding, ScanPackage } from "./types.ts";

export interface ScanOptions {
  /** Image spec, directory (DIR or dir:DIR) or sbom:FILE. */
  target: string;
  cwd: string;
  dbPath: string;
  now?: Date;
  platform?: Platform;
  providers?: ImageSourceProviders;
  scope?: Scope;
  /** Leave out findings without a fixed version (trivy --ignore-unfixed, grype --only-fixed). */
  ignoreUnfixed?: boolean;
  ignore?: IgnoreSet;
  /** Note the ecosystems looked for in the database (for `db update`); default true. */
  noteEcosystems?: boolean;
}

export interface ScanSource {
  type: "image" | "directory" | "sbom";
  name: string;
  reference?: string;
  manifestDigest?: string;
  platform?: string;
  /** For sbom:FILE: the document's format and the subject it describes. */
  format?: string;
  subject?: string;
}

export type SeverityCounts = Record<SeverityLevel, number>;

export interface ScanResult {
  schema: "drydock-scan/1";
  source: ScanSource;
  distro?: DistroRelease;
  db: { path: string; updatedAt?: string };
  /** Packages scanned. */
  packages: ScanPackage[];
  findings: Finding[];
  ignored: IgnoredFinding[];
  /** Findings left out by --ignore-unfixed. */
  unfixedLeftOut: number;
  summary: SeverityCounts;
  warnings: string[];
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITY_LEVELS.map((l) => [l, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity.level]++;
  return counts;
}

/** Most severe first, then package, then id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity.level) - severityRank(a.severity.level) ||
    (a.package.name < b.package.name ? -1 : a.package.name > b.package.name ? 1 : 0) ||
    (a.package.version < b.package.version ? -1 : a.package.version > b.package.version ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

interface Loaded {
  source: ScanSource;
  distro?: DistroRelease;
  packages: ScanPackage[];
}

async function loadPackages(options: ScanOptions): Promise<Loaded> {
  if (options.target.startsWith("sbom:")) {
    const file = options.target.slice(5);
    if (file === "") throw new UsageError("sbom: needs a file name (sbom:bom.json)");
    let text: string;
    try {
      text = await readFile(resolve(options.cwd, file), "utf8");
    } catch {
      throw new UsageError(`${file}: cannot read the SBOM file`);
    }
    const input = readSbomDocument(text, file);
    return {
      source: {
        type: "sbom",
        name: file,
        format: input.format,
        ...(input.subject ? { subject: input.subject } : {}),
      },
      ...(input.distro ? { distro: input.distro } : {}),
      packages: input.packages,
    };
  }
  // Image and directory reading is loaded only for them: sbom:FILE scans need none of it.
  const { sbom } = await import("../sbom/api.ts");
  const result = await sbom({
    target: options.target,
    cwd: options.cwd,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const s = result.source;
  const d = result.distro;
  return {
    source: {
      type: s.type,
      name: s.name,
      ...(s.reference ? { reference: s.reference } : {}),
      ...(s.manifestDigest ? { manifestDigest: s.manifestDigest } : {}),
      ...(s.platform ? { platform: s.platform } : {}),
    },
    ...(d
      ? {
          distro: {
            id: d.id,
            ...(d.versionId ? { versionId: d.versionId } : {}),
            ...(d.versionCodename ? { versionCodename: d.versionCodename } : {}),
            ...(d.prettyName ? { prettyName: d.prettyName } : {}),
          },
        }
      : {}),
    packages: result.packages.map((p) => ({
      id: p.id,
      name: p.name,
      version: p.version,
      type: p.type,
      ...(p.purl ? { purl: p.purl } : {}),
      locations: p.locations,
      metadata: p.metadata,
    })),
  };
}

function statsWarnings(stats: ReturnType<typeof matchPackages>["stats"]): string[] {
  const warnings: string[] = [];
  for (const [ecosystem, count] of stats.missingData) {
    const base = ecosystem.split(":", 1)[0]!;
    warnings.push(
      `the database has no records for ${ecosystem}: ${count} package${count === 1 ? "" : "s"} not checked (drydock db update --ecosystem ${base.includes(" ") ? `"${base}"` : base})`,
    );
  }
  for (const [ecosystem, count] of stats.unparsed) {
    warnings.push(
      `${count} ${ecosystem} package${count === 1 ? " has a version" : "s have versions"} that do not parse: ranges not compared`,
    );
  }
  return warnings;
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const now = options.now ?? new Date();
  const store = VulnStore.open(options.dbPath);
  let loaded: Loaded;
  let matched: ReturnType<typeof matchPackages>;
  let updatedAt: string | undefined;
  let lastChecked: string | undefined;
  let seen: string[] = [];
  try {
    loaded = await loadPackages(options);
    matched = matchPackages(store, loaded.packages, loaded.distro);
    updatedAt = store.meta("updated_at");
    seen = store.seenEcosystems();
    lastChecked = [updatedAt, ...store.feeds().map((f) => f.checkedAt)]
      .filter((t): t is string => Boolean(t))
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  } finally {
    store.close();
  }
  // A write (and its sync) only when the scan needed an ecosystem no scan needed before.
  const unseen = [...matched.ecosystems].filter((e) => !seen.includes(e));
  if (options.noteEcosystems !== false && unseen.length > 0) noteSeenEcosystems(options.dbPath, unseen, now);
  const warnings = statsWarnings(matched.stats);
  const stale = staleWarning(options.dbPath, lastChecked, now);
  if (stale) warnings.unshift(stale);
  let findings = matched.findings;
  let unfixedLeftOut = 0;
  if (options.ignoreUnfixed) {
    const fixed = findings.filter((f) => f.fixedVersion !== undefined);
    unfixedLeftOut = findings.length - fixed.length;
    findings = fixed;
  }
  const outcome = applyIgnores(findings, options.ignore ?? { rules: [], vex: [] }, now);
  warnings.push(...outcome.warnings);
  const kept = [...outcome.kept].sort(compareFindings);
  return {
    schema: "drydock-scan/1",
    source: loaded.source,
    ...(loaded.distro ? { distro: loaded.distro } : {}),
    db: { path: options.dbPath, ...(updatedAt ? { updatedAt } : {}) },
    packages: loaded.packages,
    findings: kept,
    ignored: outcome.ignored.sort((a, b) => compareFindings(a.finding, b.finding)),
    unfixedLeftOut,
    summary: countBySeverity(kept),
    warnings,
  };
}

export interface GateOptions {
  failOn?: SeverityLevel;
  exitCode?: number;
}

/** Grype's exit code when --fail-on trips. */
export const FAIL_ON_EXIT_CODE = 2;

/** The findings that trip the gate: at or above --fail-on, or all of them for a bare --exit-code. */
export function gatingFindings(findings: readonly Finding[], gate: GateOptions): Finding[] {
  if (gate.failOn) {
    const floor = severityRank(gate.failOn);
    return findings.filter((f) => severityRank(f.severity.level) >= floor);
  }
  return gate.exitCode !== undefined ? [...findings] : [];
}

/** The exit code of a scan (or of a comparison's introduced findings). */
export function gateExitCode(findings: readonly Finding[], gate: GateOptions): number {
  if (gatingFindings(findings, gate).length === 0) return 0;
  return gate.exitCode ?? FAIL_ON_EXIT_CODE;
}
