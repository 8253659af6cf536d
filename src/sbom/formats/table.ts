/** The readable table: one row per package (NAME VERSION TYPE LAYER), like syft's table. */
import type { SbomResult } from "../sbom.ts";

export function renderTable(result: SbomResult): string {
  const layerOf = new Map((result.source.layers ?? []).map((l) => [l.diffId, l.index]));
  const rows = result.packages.map((p) => {
    const layer = p.locations[0]?.layerDiffId;
    const index = layer ? layerOf.get(layer) : undefined;
    return [p.name, p.version, p.type, index === undefined ? "" : String(index + 1)];
  });
  const header = result.source.layers ? ["NAME", "VERSION", "TYPE", "LAYER"] : ["NAME", "VERSION", "TYPE"];
  const table = [header, ...rows.map((r) => r.slice(0, header.length))];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
  const distro = result.distro
    ? `${result.distro.prettyName ?? `${result.distro.id} ${result.distro.versionId ?? ""}`}\n`
    : "";
  const summary = `${result.packages.length} package${result.packages.length === 1 ? "" : "s"}`;
  return result.packages.length === 0
    ? `${distro}No packages found.\n`
    : `${distro}${lines.join("\n")}\n${summary}\n`;
}
