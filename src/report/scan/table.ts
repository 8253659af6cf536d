/**
 * `drydock scan` as text: findings grouped by package (name, version, where it was found), one
 * row per vulnerability with its severity, the version that fixes it and a summary; then the
 * totals. Comparisons print introduced, fixed and unchanged findings the same way.
 */
import pc from "picocolors";
import type { CompareResult } from "../../vuln/compare.ts";
import type { ScanResult, SeverityCounts } from "../../vuln/scan.ts";
import { SEVERITY_LEVELS, type SeverityLevel } from "../../vuln/severity/severity.ts";
import type { Finding } from "../../vuln/types.ts";
import { oneLine, shortDigest, table } from "../format.ts";

export interface ScanTextOptions {
  color: boolean;
  /** List ignored findings too. */
  showIgnored?: boolean;
}

const PAINT: Record<SeverityLevel, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  negligible: pc.dim,
  unknown: pc.dim,
};

function severityCell(level: SeverityLevel, color: boolean): string {
  const text = level.toUpperCase();
  return color ? PAINT[level](text) : text;
}

function packageHeader(f: Finding): string {
  const p = f.package;
  const extra: string[] = [p.type];
  if (p.matchedName) extra.push(`source ${p.matchedName}${p.matchedVersion ? ` ${p.matchedVersion}` : ""}`);
  else if (p.matchedVersion) extra.push(`source version ${p.matchedVersion}`);
  const where = f.locations[0];
  const place = where
    ? `  ${where.path}${where.layerDiffId ? ` (layer ${shortDigest(where.layerDiffId)})` : ""}`
    : "";
  return `${p.name} ${p.version} (${extra.join(", ")})${place}`;
}

/**
 * Findings grouped by package, in the order given (most severe first); columns aligned across
 * all groups.
 */
function grouped(findings: readonly Finding[], color: boolean, note?: (f: Finding) => string): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.package.id}\u0000${f.package.name}\u0000${f.package.version}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const lists = [...groups.values()];
  // Align on the plain text, then paint the severity (colour codes would skew the widths).
  const rows = lists
    .flat()
    .map((f) => [
      `  ${f.severity.level.toUpperCase()}`,
      f.id,
      f.fixedVersion ? `fixed in ${f.fixedVersion}` : "no fix yet",
      oneLine(note ? note(f) : (f.summary ?? ""), 70),
    ]);
  const lines = table(rows).split("\n");
  const blocks: string[] = [];
  let at = 0;
  for (const list of lists) {
    const body = list.map((f) => {
      const line = lines[at++]!;
      const word = f.severity.level.toUpperCase();
      return color ? line.replace(word, severityCell(f.severity.level, true)) : line;
    });
    blocks.push(`${color ? pc.bold(packageHeader(list[0]!)) : packageHeader(list[0]!)}\n${body.join("\n")}`);
  }
  return blocks.join("\n\n");
}

export function severityLine(counts: SeverityCounts): string {
  const parts = [...SEVERITY_LEVELS]
    .reverse()
    .filter((l) => counts[l] > 0)
    .map((l) => `${counts[l]} ${l}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

export function renderScanText(result: ScanResult, options: ScanTextOptions): string {
  const out: string[] = [];
  const packagesWith = new Set(result.findings.map((f) => f.package.id)).size;
  if (result.findings.length > 0) out.push(grouped(result.findings, options.color), "");
  const distro = result.distro
    ? ` (${result.distro.id}${result.distro.versionId ? ` ${result.distro.versionId}` : ""})`
    : "";
  out.push(
    `${result.findings.length} vulnerabilit${result.findings.length === 1 ? "y" : "ies"} in ${packagesWith} of ${result.packages.length} packages${distro}: ${severityLine(result.summary)}`,
  );
  const notes: string[] = [];
  if (result.ignored.length > 0) notes.push(`${result.ignored.length} ignored`);
  if (result.unfixedLeftOut > 0) notes.push(`${result.unfixedLeftOut} without a fix left out`);
  if (notes.length > 0) out.push(`(${notes.join(", ")})`);
  if (options.showIgnored && result.ignored.length > 0) {
    out.push("", "Ignored:");
    for (const { finding, by } of result.ignored) {
      const why =
        by.kind === "vex"
          ? `VEX ${by.status}${by.justification ? ` (${by.justification})` : ""}`
          : (by.reason ?? "ignore rule");
      out.push(`  ${finding.id}  ${finding.package.name} ${finding.package.version}  ${why}  [${by.origin}]`);
    }
  }
  return `${out.join("\n")}\n`;
}

export function renderCompareText(result: CompareResult, options: ScanTextOptions): string {
  const out: string[] = [];
  const title = (text: string) => (options.color ? pc.bold(text) : text);
  const section = (name: string, findings: Finding[], note?: (f: Finding) => string) => {
    out.push(title(`${name} (${findings.length}): ${severityLine(countOf(findings))}`));
    if (findings.length > 0) out.push(grouped(findings, options.color, note));
    out.push("");
  };
  section("Introduced", result.introduced);
  section("Fixed", result.fixed);
  const oldVersions = new Map(result.unchanged.map((u) => [u.finding, u.oldVersion]));
  section(
    "Unchanged",
    result.unchanged.map((u) => u.finding),
    (f) => (oldVersions.get(f) !== f.package.version ? `was ${oldVersions.get(f)}` : (f.summary ?? "")),
  );
  out.push(
    `${result.old.source.name}: ${result.old.findings} vulnerabilities; ${result.new.source.name}: ${result.new.findings} vulnerabilities`,
  );
  return `${out.join("\n")}\n`;
}

function countOf(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITY_LEVELS.map((l) => [l, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity.level]++;
  return counts;
}
