/**
 * `drydock audit` as text: aligned tables, human sizes (decimal units, as docker and dive),
 * colours on a terminal. The dive section prints dive's own number formats (go-humanize sizes,
 * `%.2f %%`) so the values can be compared with `dive --ci` output at a glance.
 */
import { createColors } from "picocolors";
import type { AuditLayer, AuditResult } from "../../audit/audit.ts";
import { goHumanBytes, groupThousands } from "../../audit/bytes.ts";
import type { DuNode } from "../../audit/largest.ts";
import { savingText } from "../../audit/suggestions.ts";
import { humanBytes, oneLine, table } from "../format.ts";

export interface AuditRenderOptions {
  color: boolean;
  /** Rows per list (default 10). */
  top?: number;
}

const num = groupThousands;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2)} %`;
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

function layerLabel(result: AuditResult, index: number): string {
  const layer = result.layers[index];
  const line = layer?.instruction?.line;
  return line !== undefined ? `${index + 1} (line ${line})` : String(index + 1);
}

function createdBy(layer: AuditLayer): string {
  if (layer.instruction) return `line ${layer.instruction.line}: ${layer.instruction.source}`;
  const text = (layer.createdBy ?? "").replace(/ # buildkit$/, "").replace(/^\/bin\/sh -c (#\(nop\) +)?/, "");
  return text || layer.comment || "";
}

export function renderAuditText(result: AuditResult, options: AuditRenderOptions): string {
  const c = createColors(options.color);
  const top = options.top ?? 10;
  const out: string[] = [];
  const heading = (text: string) => {
    out.push("");
    out.push(c.bold(text));
  };
  const field = (name: string, value: string) => out.push(`${c.bold(name.padEnd(11))}${value}`);

  // Summary ------------------------------------------------------------------------------
  const img = result.image;
  field("Image", `${img.reference ? `${img.reference}  ` : ""}${img.source}  ${img.platform}`);
  const t = result.totals;
  field(
    "Size",
    `${humanBytes(t.sizeBytes)} in ${t.layers} layer${t.layers === 1 ? "" : "s"} (${humanBytes(t.compressedSize)} stored); a container sees ${humanBytes(t.finalBytes)} in ${num(t.files)} entries`,
  );
  field(
    "Base",
    `${result.base.layers} layer${result.base.layers === 1 ? "" : "s"}, by ${result.base.method}: ${result.base.detail}`,
  );
  for (const note of result.base.notes) out.push(`${" ".repeat(11)}${c.dim(note)}`);
  if (result.dockerfile) {
    const d = result.dockerfile;
    field(
      "Dockerfile",
      `${d.path} (stage ${d.stage}): ${d.matchedLayerLines} of ${d.layerLines} RUN/COPY/ADD lines matched${d.note ? `; ${d.note}` : ""}`,
    );
  }

  // Layers -------------------------------------------------------------------------------
  heading("Layers");
  const rows = result.layers.map((l) => [
    String(l.index + 1),
    humanBytes(l.compressedSize),
    humanBytes(l.sizeBytes),
    l.added.count ? `+${num(l.added.count)}` : "",
    l.modified.count ? `~${num(l.modified.count)}` : "",
    l.removed.count ? `-${num(l.removed.count)}` : "",
    l.reclaimableBytes ? humanBytes(l.reclaimableBytes) : "",
    `${l.base ? c.dim("[base] ") : ""}${oneLine(createdBy(l), 70)}`,
  ]);
  out.push(
    indent(table(rows, ["#", "stored", "size", "added", "changed", "removed", "wasted", "created by"])),
  );
  const biggest = result.largest.layers.slice(0, 3).map((l) => `${l.index + 1} (${humanBytes(l.sizeBytes)})`);
  out.push(
    c.dim(`  biggest layers: ${biggest.join(", ")}; "wasted" = bytes of the layer that later layers hide`),
  );

  // dive --------------------------------------------------------------------------------
  const dive = result.dive;
  heading("dive metrics (computed as dive computes them)");
  const wasted = dive.wastedBytes > 0 ? ` (${goHumanBytes(dive.wastedBytes)})` : "";
  const userPct =
    dive.wastedBytes > 0 ? (dive.userWastedPercent === null ? "NaN %" : pct(dive.userWastedPercent)) : "0 %";
  out.push(
    indent(
      table([
        ["efficiency:", pct(dive.efficiency)],
        ["wastedBytes:", `${dive.wastedBytes} bytes${wasted}`],
        ["userWastedPercent:", userPct],
      ]),
    ),
  );
  if (dive.abortedLayers.length > 0) {
    out.push(
      c.dim(
        `  dive stops reading layer ${dive.abortedLayers.map((l) => l + 1).join(", ")} at a whiteout of a missing path`,
      ),
    );
  }

  // Corrected ----------------------------------------------------------------------------
  const k = result.corrected;
  heading("Corrected metrics");
  out.push(
    indent(
      table([
        [
          "reclaimable",
          humanBytes(k.reclaimableBytes),
          "copies no container sees (deleted, replaced, hidden by opaque dirs)",
        ],
        [
          "user",
          humanBytes(k.userReclaimableBytes),
          `${pct(k.userWastedPercent)} of the ${humanBytes(k.userSizeBytes)} that layers above the base add`,
        ],
        [
          "base hidden",
          humanBytes(k.baseHiddenBytes),
          "base files deleted or replaced by user layers (still shipped)",
        ],
        ["visible", pct(k.efficiency), "share of the image's bytes a container can see"],
      ]),
    ),
  );

  if (result.waste.length > 0) {
    heading("Wasted space (copies no container sees)");
    const wasteRows = result.waste.slice(0, top).map((w) => [
      humanBytes(w.bytes),
      num(w.files),
      `${layerLabel(result, w.layer)} → ${layerLabel(result, w.by)}`,
      w.kind,
      `${w.paths
        .slice(0, 3)
        .map((p) => p.path)
        .join(", ")}${w.morePaths > 0 || w.paths.length > 3 ? ", …" : ""}`,
    ]);
    out.push(indent(table(wasteRows, ["bytes", "files", "layer → hidden by", "how", "paths"])));
    if (result.waste.length > top) out.push(c.dim(`  … ${result.waste.length - top} more`));
  }

  heading(
    `Inefficient files (dive${dive.inefficiencies.length > top ? `, ${top} of ${num(dive.inefficiencies.length)}` : ""})`,
  );
  if (dive.inefficiencies.length === 0) out.push("  (none)");
  else {
    const ineff = dive.inefficiencies
      .slice(0, top)
      .map((i) => [String(i.count), goHumanBytes(i.cumulativeSize), i.path]);
    out.push(indent(table(ineff, ["Count", "Wasted Space", "File Path"])));
  }

  // Bloat ----------------------------------------------------------------------------------
  heading(`Bloat left in the image (${humanBytes(result.bloat.bytes)} in ${num(result.bloat.files)} files)`);
  if (result.bloat.classes.length === 0) out.push("  (none found)");
  else {
    const bloatRows = result.bloat.classes.slice(0, top).map((b) => [
      humanBytes(b.bytes),
      num(b.files),
      b.layers.map((l) => layerLabel(result, l.layer)).join(","),
      b.title,
      `${b.paths
        .slice(0, 2)
        .map((p) => p.path)
        .join(", ")}${b.morePaths > 0 || b.paths.length > 2 ? ", …" : ""}`,
    ]);
    out.push(indent(table(bloatRows, ["bytes", "files", "layers", "what", "where"])));
  }

  // Secrets --------------------------------------------------------------------------------
  if (result.secrets.length > 0) {
    heading(c.red(`Secrets (${result.secrets.length})`));
    for (const s of result.secrets.slice(0, top * 2)) {
      const level =
        s.severity === "high" ? c.red("HIGH  ") : s.severity === "medium" ? c.yellow("MEDIUM") : "LOW   ";
      const where = s.visible
        ? `in layer ${layerLabel(result, s.layer)}`
        : `in layer ${layerLabel(result, s.layer)}; ${s.hiddenBy !== undefined ? `layer ${layerLabel(result, s.hiddenBy)}` : "a later layer"} hides it, but it can still be extracted`;
      out.push(`  ${level}  ${s.path}: ${s.title}, ${where}; ${s.evidence}`);
    }
    out.push(c.dim(`  ${result.secrets[0]!.advice}`));
  }

  // Largest ---------------------------------------------------------------------------------
  heading("Largest files");
  const fileRows = result.largest.files.map((f) => [
    humanBytes(f.bytes),
    f.path,
    `layer ${layerLabel(result, f.layer)}`,
  ]);
  out.push(fileRows.length > 0 ? indent(table(fileRows)) : "  (none)");
  heading("Largest directories (du)");
  const treeRows: string[][] = [];
  const walk = (node: DuNode, depth: number) => {
    treeRows.push([humanBytes(node.bytes), `${"  ".repeat(depth)}${node.path}`]);
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  walk(result.largest.tree, 0);
  out.push(indent(table(treeRows)));
  for (const layer of result.largest.perLayer ?? []) {
    heading(`Layer ${layerLabel(result, layer.index)}: largest files`);
    const rowsForLayer = layer.files.map((f) => [humanBytes(f.bytes), f.path]);
    out.push(rowsForLayer.length > 0 ? indent(table(rowsForLayer)) : "  (no files)");
  }

  // Suggestions -----------------------------------------------------------------------------
  heading(`Suggested fixes${result.suggestions.length > 0 ? ` (${result.suggestions.length})` : ""}`);
  if (result.suggestions.length === 0) out.push("  (nothing to fix)");
  result.suggestions.slice(0, top).forEach((s, i) => {
    const saving = s.bytes > 0 ? c.green(savingText(s)) : c.dim(savingText(s));
    out.push(`  ${i + 1}. ${s.message}: ${saving}`);
  });
  if (result.suggestions.length > top)
    out.push(c.dim(`  … ${result.suggestions.length - top} more (--top, or --format json)`));

  // CI -------------------------------------------------------------------------------------------
  if (result.ci) {
    heading("CI evaluation");
    for (const r of result.ci.rules) {
      const status =
        r.status === "PASS" ? c.green("PASS") : r.status === "FAIL" ? c.bold(c.red("FAIL")) : c.dim("SKIP");
      const text = `${r.rule} (${r.message})`;
      out.push(`  ${status}  ${r.status === "SKIP" ? c.dim(text) : text}`);
    }
    const { tally } = result.ci;
    const parts = [
      tally.pass ? `pass:${tally.pass}` : "",
      tally.fail ? `fail:${tally.fail}` : "",
      tally.skip ? `skip:${tally.skip}` : "",
    ].filter(Boolean);
    out.push("");
    out.push(`${result.ci.pass ? c.green("PASS") : c.bold(c.red("FAIL"))}${c.dim(` [${parts.join(" ")}]`)}`);
  }
  return `${out.join("\n")}\n`;
}
