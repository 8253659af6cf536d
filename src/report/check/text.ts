/** Text rendering of `drydock check`: one line per section, details indented under it. */
import { createColors } from "picocolors";
import type { CheckReport, SectionStatus } from "../../check/check.ts";

export interface CheckRenderOptions {
  color: boolean;
  /** Show every detail line (default: the first few per section). */
  verbose?: boolean;
}

const MARKS: Record<SectionStatus, string> = {
  ok: "ok",
  warn: "warn",
  fail: "FAIL",
  skipped: "skip",
  unavailable: "n/a",
};

export function renderCheckText(report: CheckReport, options: CheckRenderOptions): string {
  const c = createColors(options.color);
  const paint: Record<SectionStatus, (s: string) => string> = {
    ok: c.green,
    warn: c.yellow,
    fail: c.red,
    skipped: c.dim,
    unavailable: c.dim,
  };
  const location = report.path === "." ? report.dir : `${report.dir}/${report.path}`;
  const lines = [c.bold(`drydock check ${location}`)];
  const width = Math.max(...report.sections.map((s) => s.title.length));
  for (const section of report.sections) {
    lines.push(
      `${paint[section.status](MARKS[section.status].padEnd(4))}  ${c.bold(section.title.padEnd(width))}  ${section.summary}`,
    );
    const details = options.verbose ? section.details : section.details.slice(0, 6);
    for (const detail of details) lines.push(`${" ".repeat(8 + width)}${c.dim(detail)}`);
    if (details.length < section.details.length)
      lines.push(
        `${" ".repeat(8 + width)}${c.dim(`... ${section.details.length - details.length} more (--verbose)`)}`,
      );
  }
  lines.push("");
  lines.push(
    report.failed
      ? c.red(
          "Lint findings reach the failure threshold: exit 1 (drydock lint shows them all; drydock lint --fix repairs some)",
        )
      : c.green("No lint finding reaches the failure threshold."),
  );
  return `${lines.join("\n")}\n`;
}
