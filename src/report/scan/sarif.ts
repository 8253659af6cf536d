/**
 * `drydock scan -o sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers. A rule per
 * vulnerability id (with GitHub's `security-severity` property: the CVSS score, or the middle
 * of the severity's band when there is none), a result per finding located at the file the
 * package was found in (or the scanned target when the SBOM gave no location).
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html; security-severity:
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import type { ScanResult } from "../../vuln/scan.ts";
import type { SeverityLevel } from "../../vuln/severity/severity.ts";
import type { Finding } from "../../vuln/types.ts";
import { renderSarifLog } from "../sarif.ts";

export interface ScanSarifOptions {
  version: string;
}

/** SARIF levels: high and critical are errors, medium a warning, the rest notes. */
const LEVEL: Record<SeverityLevel, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  negligible: "note",
  unknown: "note",
};

/** GitHub buckets security-severity as critical >= 9, high >= 7, medium >= 4, low > 0. */
const BAND_SCORE: Record<SeverityLevel, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "2.0",
  negligible: "0.0",
  unknown: "0.0",
};

function securitySeverity(f: Finding): string {
  return f.severity.score !== undefined ? f.severity.score.toFixed(1) : BAND_SCORE[f.severity.level];
}

function uri(path: string): string {
  return encodeURI(path.replace(/^\/+/, "")).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

function rule(f: Finding) {
  const summary = f.summary ?? `${f.id} in ${f.package.matchedName ?? f.package.name}`;
  return {
    id: f.id,
    name: f.id.replace(/[^A-Za-z0-9]+/g, ""),
    shortDescription: { text: `${f.id}: ${summary}`.slice(0, 1000) },
    fullDescription: { text: summary },
    ...(f.references[0] ? { helpUri: f.references[0] } : {}),
    help: {
      text: `${summary}\nAliases: ${f.aliases.join(", ") || "none"}\n${f.references.join("\n")}`,
    },
    defaultConfiguration: { level: LEVEL[f.severity.level] },
    properties: {
      "security-severity": securitySeverity(f),
      tags: ["security", "vulnerability", f.severity.level],
      aliases: f.aliases,
    },
  };
}

function message(f: Finding): string {
  const fix = f.fixedVersion ? `; fixed in ${f.fixedVersion}` : "; no fix yet";
  return `${f.package.name} ${f.package.version} (${f.package.type}) is affected by ${f.id} (${f.severity.level}${f.severity.score !== undefined ? ` ${f.severity.score}` : ""})${fix}.`;
}

export function renderScanSarif(result: ScanResult, options: ScanSarifOptions): string {
  const rules = new Map<string, ReturnType<typeof rule>>();
  for (const f of result.findings) if (!rules.has(f.id)) rules.set(f.id, rule(f));
  const index = new Map([...rules.keys()].map((id, i) => [id, i]));
  const fallback = result.source.name;
  return renderSarifLog({
    version: options.version,
    rules: [...rules.values()],
    results: result.findings.map((f) => {
      const paths = f.locations.length > 0 ? f.locations.map((l) => l.path) : [fallback];
      return {
        ruleId: f.id,
        ruleIndex: index.get(f.id)!,
        level: LEVEL[f.severity.level],
        message: { text: message(f) },
        locations: [...new Set(paths)].map((path) => ({
          physicalLocation: { artifactLocation: { uri: uri(path) } },
          message: { text: `${f.package.name} ${f.package.version}` },
        })),
        partialFingerprints: {
          "drydockVulnerability/v1": `${f.id}:${f.package.type}:${f.package.name}:${f.package.version}`,
        },
        properties: {
          package: f.package.name,
          version: f.package.version,
          ...(f.package.purl ? { purl: f.package.purl } : {}),
          ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
          severity: f.severity.level,
        },
      };
    }),
  });
}
