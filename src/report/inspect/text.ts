import { createColors } from "picocolors";
import type { InspectResult } from "../../image/inspect.ts";
import { humanBytes, oneLine, shortDigest, table } from "../format.ts";

export interface InspectRenderOptions {
  color: boolean;
}

/** A readable summary of `drydock inspect`. */
export function renderInspectText(result: InspectResult, options: InspectRenderOptions): string {
  const c = createColors(options.color);
  const lines: string[] = [];
  const field = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== "") lines.push(`${c.bold(name.padEnd(14))}${value}`);
  };
  field("Reference", result.reference);
  field("Source", result.source);
  field("Digest", result.digest);
  field("Index", result.indexDigest);
  field("Media type", result.mediaType);
  field("Platform", result.platform);
  field("Config", result.configDigest);
  field("Created", result.created);
  if (result.baseImage)
    field("Base image", [result.baseImage.name, result.baseImage.digest].filter(Boolean).join(" @ "));
  lines.push("");
  const cfg = result.config;
  field("User", cfg.user ?? "(root)");
  field("Entrypoint", cfg.entrypoint ? JSON.stringify(cfg.entrypoint) : undefined);
  field("Cmd", cfg.cmd ? JSON.stringify(cfg.cmd) : undefined);
  field("Workdir", cfg.workingDir);
  field("Ports", cfg.exposedPorts.join(", "));
  field("Stop signal", cfg.stopSignal);
  if (cfg.healthcheck?.Test) field("Healthcheck", cfg.healthcheck.Test.join(" "));
  if (cfg.env.length > 0) {
    lines.push(c.bold("Env"));
    for (const e of cfg.env) lines.push(`  ${e}`);
  }
  const labels = Object.entries(cfg.labels);
  if (labels.length > 0) {
    lines.push(c.bold("Labels"));
    for (const [k, v] of labels) lines.push(`  ${k}=${v}`);
  }
  lines.push("");
  lines.push(c.bold(`Layers (${result.totals.layers})`));
  const rows = result.layers.map((l) => [
    String(l.index + 1),
    shortDigest(l.digest),
    humanBytes(l.compressedSize),
    humanBytes(l.uncompressedSize),
    String(l.files),
    l.digestVerified ? "yes" : "no",
    oneLine(l.createdBy ?? l.comment ?? "", 70),
  ]);
  lines.push(table(rows, ["#", "digest", "stored", "size", "files", "verified", "created by"]));
  if (result.layers.some((l) => !l.digestVerified)) {
    lines.push(
      c.dim(
        "Layers in a local archive or layout are read without hashing them (uncompressed ones by seeking): --verify-digests checks them.",
      ),
    );
  }
  lines.push("");
  lines.push(
    `${c.bold("Total")}  ${humanBytes(result.totals.compressedSize)} stored, ${humanBytes(result.totals.uncompressedSize)} uncompressed, ${result.totals.files} files visible`,
  );
  return `${lines.join("\n")}\n`;
}
