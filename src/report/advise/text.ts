/** Text rendering of `drydock advise` (JSON is the report itself). */
import { createColors } from "picocolors";
import type { AdviceReport } from "../../advise/advise.ts";
import type { ImageChoice, Reason } from "../../advise/engine.ts";
import type { Detection, Evidence } from "../../advise/types.ts";

export interface AdviseRenderOptions {
  color: boolean;
}

export function at(evidence: Evidence | undefined): string {
  if (!evidence) return "";
  return `${evidence.file}${evidence.line ? `:${evidence.line}` : ""}`;
}

function evidenceList(evidence: Evidence[] | undefined): string {
  const files = [...new Set((evidence ?? []).map(at).filter(Boolean))];
  return files.length > 0 ? `  (${files.join(", ")})` : "";
}

/** The detection block shared by advise, init and check. */
export function renderDetection(detection: Detection, location: string, color: boolean): string[] {
  const c = createColors(color);
  const lines: string[] = [];
  const row = (name: string, value: string) => lines.push(`  ${c.dim(name.padEnd(9))} ${value}`);
  lines.push(
    c.bold(
      `${detection.language} ${detection.runtime.line}${detection.framework ? ` · ${detection.framework.name}` : ""}`,
    ) + ` in ${location}`,
  );
  row("version", `${detection.runtime.line}: ${detection.runtime.reason}`);
  for (const other of detection.runtime.others)
    row(
      "",
      c.dim(
        `also ${other.requested} in ${at(other.source)}${other.source.detail ? ` (${other.source.detail})` : ""}`,
      ),
    );
  const pm = detection.packageManager;
  const from = pm.lockfile
    ? ` with ${pm.lockfile}`
    : pm.source.file && pm.source.file !== "(none)"
      ? ` from ${pm.source.file}`
      : "";
  row(
    "packages",
    `${pm.name}${pm.variant ? ` (${pm.variant})` : ""}${pm.version ? ` ${pm.version}` : ""}${from}`,
  );
  if (detection.start)
    row("start", `${detection.start.argv.join(" ")}${evidenceList([detection.start.source])}`);
  if (detection.port) row("port", `${detection.port.value}${evidenceList([detection.port.source])}`);
  if (detection.native.length === 0) row("native", "no compiled code found");
  for (const [k, finding] of detection.native.slice(0, 8).entries())
    row(k === 0 ? "native" : "", `${finding.note}${evidenceList([finding.source])}`);
  if (detection.native.length > 8) row("", `and ${detection.native.length - 8} more`);
  return lines;
}

function reasons(list: Reason[], color: boolean): string[] {
  const c = createColors(color);
  return list.map((r) => `  - ${r.text}${c.dim(evidenceList(r.evidence))}`);
}

function imageLine(label: string, image: ImageChoice, color: boolean): string {
  const c = createColors(color);
  const facts = [
    `~${image.sizeMB} MB`,
    image.libc === "none" ? "no libc" : image.libc,
    image.shell === "none" ? "no shell" : image.shell,
  ];
  return `${c.bold(label.padEnd(8))} ${c.cyan(image.image)}  ${c.dim(facts.join(" · "))}`;
}

export function renderAdviseText(report: AdviceReport, options: AdviseRenderOptions): string {
  const c = createColors(options.color);
  const { detection, advice } = report;
  const location = report.path === "." ? report.dir : `${report.dir}/${report.path}`;
  const lines: string[] = renderDetection(detection, location, options.color);
  lines.push(`  ${c.dim("targets".padEnd(9))} ${advice.targets.map((a) => `linux/${a}`).join(", ")}`);
  if (report.project.polyglot)
    lines.push(`  ${c.dim("polyglot".padEnd(9))} ${report.project.polyglot.reason}`);
  lines.push("");
  lines.push(
    imageLine("Runtime", advice.runtime, options.color),
    ...reasons(advice.runtime.reasons, options.color),
  );
  lines.push(
    imageLine("Builder", advice.builder, options.color),
    ...reasons(advice.builder.reasons, options.color),
  );
  lines.push(
    `${c.bold("Debug".padEnd(8))} ${c.cyan(advice.debug.image)}  ${c.dim("+ shell, curl, strace: docker build --target debug")}`,
  );
  if (advice.runtimePackages.length > 0)
    lines.push(`  - runtime packages: ${advice.runtimePackages.join(", ")}`);
  if (advice.buildPackages.length > 0) lines.push(`  - build packages: ${advice.buildPackages.join(", ")}`);
  if (advice.alternatives.length > 0) {
    lines.push("", c.bold("Alternatives"));
    for (const alt of advice.alternatives) {
      lines.push(
        `  ${alt.rank}. ${c.cyan(alt.image)} ${c.dim(`[${alt.labels.join(", ")}] ~${alt.sizeMB} MB`)}`,
        `     ${alt.tradeoff}`,
      );
    }
  }
  if (advice.rejected.length > 0) {
    lines.push("", c.bold("Not used"));
    for (const r of advice.rejected) lines.push(`  - ${r.image}: ${r.why}${c.dim(evidenceList(r.evidence))}`);
  }
  if (advice.warnings.length > 0 || report.project.problems.length > 0) {
    lines.push("", c.bold("Notes"));
    for (const w of advice.warnings) lines.push(`  ! ${w}`);
    for (const p of report.project.problems) lines.push(`  ! could not parse ${p.file}: ${p.message}`);
  }
  lines.push(
    "",
    c.dim(
      `Image facts as of ${advice.catalog.date} (drydock's catalog; sizes are approximate). Write this Dockerfile: drydock init ${report.dir}${report.path !== "." ? ` --path ${report.path}` : ""}`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
