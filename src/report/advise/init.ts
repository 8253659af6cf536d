/** Text rendering of `drydock init`: what was detected, which images, what was written. */
import { createColors } from "picocolors";
import type { InitResult, WriteOutcome } from "../../generate/init.ts";
import { renderDetection } from "./text.ts";

export interface InitRenderOptions {
  color: boolean;
  /** Files written (absent with --stdout). */
  outcome?: WriteOutcome;
}

export function renderInitText(result: InitResult, options: InitRenderOptions): string {
  const c = createColors(options.color);
  const { report, generated } = result;
  const location = report.path === "." ? report.dir : `${report.dir}/${report.path}`;
  const lines = renderDetection(report.detection, location, options.color);
  if (report.project.polyglot)
    lines.push(`  ${c.dim("polyglot".padEnd(9))} ${report.project.polyglot.reason}`);
  lines.push("");
  const images = generated.images;
  lines.push(
    `${c.bold("Images")}   build ${c.cyan(images.builder)}, run ${c.cyan(images.runtime)}, debug ${c.cyan(images.debug)}`,
  );
  for (const reason of report.advice.runtime.reasons.slice(1, 3)) lines.push(`  - ${reason.text}`);
  if (result.lint) {
    const counts = { error: 0, warning: 0, info: 0, style: 0 };
    for (const f of result.lint.findings) if (f.level !== "ignore") counts[f.level]++;
    const total = result.lint.findings.length;
    lines.push(
      `${c.bold("Lint")}     ${total === 0 ? c.green("no problems") : `${counts.error} errors, ${counts.warning} warnings, ${counts.info} info, ${counts.style} style`} (drydock lint${result.lint.shellcheck.status === "used" ? " with ShellCheck" : ""})`,
    );
    for (const f of result.lint.findings.slice(0, 5))
      lines.push(`  ${f.line}: ${f.level} ${f.code} ${f.message}`);
  }
  const notes = [...generated.notes, ...report.advice.warnings];
  if (notes.length > 0) {
    lines.push(c.bold("Notes"));
    for (const note of notes) lines.push(`  ! ${note}`);
  }
  if (options.outcome) {
    lines.push("");
    for (const file of options.outcome.written) lines.push(`${c.green("wrote")} ${file}`);
    for (const file of options.outcome.kept)
      lines.push(`${c.yellow("kept")}  ${file} (exists; --force replaces it)`);
    const dir = location === "." ? "." : location;
    lines.push(
      `Next: docker build -t app ${dir}  (debug image: docker build --target debug -t app:debug ${dir})`,
    );
  }
  return `${lines.join("\n")}\n`;
}
