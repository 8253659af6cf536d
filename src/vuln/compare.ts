/**
 * `drydock scan --compare OLD NEW`: what a change of image (a base image upgrade, say) did to
 * its vulnerabilities. A finding of NEW is "unchanged" when OLD has a finding for the same
 * package (by source name when it has one, so libssl1.1 -> libssl3 is still openssl) that
 * shares an id or alias with it; "introduced" otherwise. OLD's findings left over are "fixed".
 */
import type { ScanResult, SeverityCounts } from "./scan.ts";
import { countBySeverity } from "./scan.ts";
import type { Finding } from "./types.ts";
import { findingIds } from "./types.ts";

export interface CompareSide {
  source: ScanResult["source"];
  distro?: ScanResult["distro"];
  packages: number;
  findings: number;
  summary: SeverityCounts;
}

export interface UnchangedFinding {
  /** The finding in NEW. */
  finding: Finding;
  /** The package version it had in OLD. */
  oldVersion: string;
}

export interface CompareResult {
  schema: "drydock-scan-compare/1";
  old: CompareSide;
  new: CompareSide;
  fixed: Finding[];
  introduced: Finding[];
  unchanged: UnchangedFinding[];
  summary: { fixed: SeverityCounts; introduced: SeverityCounts; unchanged: SeverityCounts };
  warnings: string[];
}

const packageKey = (f: Finding) => `${f.package.type}\u0000${f.package.matchedName ?? f.package.name}`;

function side(result: ScanResult): CompareSide {
  return {
    source: result.source,
    ...(result.distro ? { distro: result.distro } : {}),
    packages: result.packages.length,
    findings: result.findings.length,
    summary: result.summary,
  };
}

export function compareScans(oldScan: ScanResult, newScan: ScanResult): CompareResult {
  const remaining = new Map<string, Finding[]>();
  for (const f of oldScan.findings) {
    const key = packageKey(f);
    remaining.set(key, [...(remaining.get(key) ?? []), f]);
  }
  const introduced: Finding[] = [];
  const unchanged: UnchangedFinding[] = [];
  for (const finding of newScan.findings) {
    const candidates = remaining.get(packageKey(finding)) ?? [];
    const ids = new Set(findingIds(finding));
    const index = candidates.findIndex((old) => findingIds(old).some((id) => ids.has(id)));
    if (index < 0) {
      introduced.push(finding);
      continue;
    }
    const [old] = candidates.splice(index, 1);
    unchanged.push({ finding, oldVersion: old!.package.version });
  }
  const fixed = [...remaining.values()].flat();
  return {
    schema: "drydock-scan-compare/1",
    old: side(oldScan),
    new: side(newScan),
    fixed,
    introduced,
    unchanged,
    summary: {
      fixed: countBySeverity(fixed),
      introduced: countBySeverity(introduced),
      unchanged: countBySeverity(unchanged.map((u) => u.finding)),
    },
    warnings: [...new Set([...oldScan.warnings, ...newScan.warnings])],
  };
}
