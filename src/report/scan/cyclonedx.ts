/**
 * `drydock scan -o cyclonedx-json`: CycloneDX 1.6 JSON with the scanned packages as components
 * and the findings as `vulnerabilities` (one entry per vulnerability id, `affects` listing every
 * package it was found in, a rating per source score, the fixed version as recommendation).
 * Findings suppressed by a VEX statement are listed with their `analysis` (not_affected or
 * resolved); findings dropped by an ignore rule are not listed.
 * Spec: https://cyclonedx.org/docs/1.6/json/#vulnerabilities
 */
import { createHash } from "node:crypto";
import type { IgnoredFinding } from "../../vuln/ignore/apply.ts";
import type { ScanResult } from "../../vuln/scan.ts";
import type { SeverityLevel, SeverityScore } from "../../vuln/severity/severity.ts";
import type { Finding } from "../../vuln/types.ts";

export interface ScanCycloneDxOptions {
  version: string;
  timestamp: Date;
}

type Json = Record<string, unknown>;

const SEVERITY: Record<SeverityLevel, string> = {
  critical: "critical",
  high: "high",
  medium: "medium",
  low: "low",
  negligible: "info",
  unknown: "unknown",
};

/** OpenVEX justifications in CycloneDX's words. */
const JUSTIFICATION: Record<string, string> = {
  component_not_present: "code_not_present",
  vulnerable_code_not_present: "code_not_present",
  vulnerable_code_not_in_execute_path: "code_not_reachable",
  vulnerable_code_cannot_be_controlled_by_adversary: "protected_by_mitigating_control",
  inline_mitigations_already_exist: "protected_by_mitigating_control",
};

function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  // RFC 4122 layout, version 5-style bits (name-based).
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function sourceOf(id: string): Json {
  if (id.startsWith("CVE-")) return { name: "NVD", url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (id.startsWith("GHSA-")) return { name: "GitHub", url: `https://github.com/advisories/${id}` };
  return { name: "OSV", url: `https://osv.dev/vulnerability/${id}` };
}

function method(score: SeverityScore): string {
  if (score.source === "CVSS_V2") return "CVSSv2";
  if (score.source === "CVSS_V4") return "CVSSv4";
  if (score.source === "CVSS_V3") return score.vector?.startsWith("CVSS:3.0/") ? "CVSSv3" : "CVSSv31";
  return "other";
}

function ratings(f: Finding): Json[] {
  const out = f.severity.scores.map((s) => ({
    source: { name: s.source },
    ...(s.score !== undefined ? { score: s.score } : {}),
    severity: SEVERITY[s.level],
    method: method(s),
    ...(s.vector ? { vector: s.vector } : {}),
  }));
  return out.length > 0 ? out : [{ severity: "unknown" }];
}

function component(pkg: ScanResult["packages"][number]): Json {
  return {
    "bom-ref": pkg.id,
    type: "library",
    name: pkg.name,
    version: pkg.version,
    ...(pkg.purl ? { purl: pkg.purl } : {}),
    properties: [
      { name: "drydock:package:type", value: pkg.type },
      ...pkg.locations.map((l, i) => ({ name: `drydock:location:${i}:path`, value: l.path })),
    ],
  };
}

interface Entry {
  finding: Finding;
  ignored?: IgnoredFinding["by"];
}

export function renderScanCycloneDx(result: ScanResult, options: ScanCycloneDxOptions): string {
  const components = new Map<string, Json>();
  for (const pkg of result.packages) if (!components.has(pkg.id)) components.set(pkg.id, component(pkg));
  const entries: Entry[] = [
    ...result.findings.map((finding) => ({ finding })),
    ...result.ignored.filter((i) => i.by.kind === "vex").map((i) => ({ finding: i.finding, ignored: i.by })),
  ];
  const byId = new Map<string, Entry[]>();
  for (const e of entries) byId.set(e.finding.id, [...(byId.get(e.finding.id) ?? []), e]);
  const vulnerabilities = [...byId.entries()].map(([id, list]) => {
    const first = list[0]!.finding;
    const fixes = [
      ...new Set(
        list.flatMap((e) =>
          e.finding.fixedVersion ? [`${e.finding.package.name} ${e.finding.fixedVersion}`] : [],
        ),
      ),
    ];
    const vex = list.find((e) => e.ignored)?.ignored;
    const out: Json = {
      "bom-ref": `vuln:${id}`,
      id,
      source: sourceOf(id),
      references: first.aliases.map((alias) => ({ id: alias, source: sourceOf(alias) })),
      ratings: ratings(first),
      ...(first.summary ? { description: first.summary } : {}),
      ...(fixes.length > 0 ? { recommendation: `Upgrade to ${fixes.join(", ")}` } : {}),
      ...(first.references.length > 0 ? { advisories: first.references.map((url) => ({ url })) } : {}),
      ...(first.published && !Number.isNaN(Date.parse(first.published))
        ? { published: new Date(first.published).toISOString().replace(/\.\d{3}Z$/, "Z") }
        : {}),
      affects: list.map((e) => ({
        ref: e.finding.package.id,
        versions: [{ version: e.finding.package.version, status: e.ignored ? "unaffected" : "affected" }],
      })),
    };
    if (vex) {
      out.analysis = {
        state: vex.status === "fixed" ? "resolved" : "not_affected",
        ...(vex.justification && JUSTIFICATION[vex.justification]
          ? { justification: JUSTIFICATION[vex.justification] }
          : {}),
        detail: [vex.justification, vex.reason, vex.origin].filter(Boolean).join("; "),
      };
    }
    if ((out.references as Json[]).length === 0) delete out.references;
    return out;
  });
  for (const e of entries) {
    // Every affected package is a component even when it came from another source.
    if (!components.has(e.finding.package.id)) {
      const p = e.finding.package;
      components.set(p.id, {
        "bom-ref": p.id,
        type: "library",
        name: p.name,
        version: p.version,
        ...(p.purl ? { purl: p.purl } : {}),
      });
    }
  }
  const subject = result.source.reference ?? result.source.subject ?? result.source.name;
  const subjectRef = `subject:${uuidFrom(subject)}`;
  const bom = {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: `urn:uuid:${uuidFrom(`${subject}\u0000${options.timestamp.toISOString()}\u0000${result.findings.map((f) => `${f.id}:${f.package.id}`).join(",")}`)}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp.toISOString().replace(/\.\d{3}Z$/, "Z"),
      tools: { components: [{ type: "application", name: "drydock", version: options.version }] },
      component: {
        "bom-ref": subjectRef,
        type:
          result.source.type === "image"
            ? "container"
            : result.source.type === "directory"
              ? "file"
              : "application",
        name: subject,
      },
    },
    components: [...components.values()],
    vulnerabilities,
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
