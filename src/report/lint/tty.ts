import { createColors } from "picocolors";
import type { LintFileResult, LintReport } from "../../lint/lint.ts";
import type { Finding, Severity } from "../../lint/types.ts";
import { codeWithAliases, countByLevel, type RenderOptions } from "./options.ts";

type Colors = ReturnType<typeof createColors>;

/** Lines of a finding's range shown in its code frame; longer ranges end with an ellipsis. */
const MAX_FRAME_LINES = 4;

/**
 * The human format: per file a header, each finding as `file:line:col  level  CODE  message`
 * with a code frame underneath, then a summary line.
 */
export function renderTty(report: LintReport, options: RenderOptions): string {
  const c = createColors(options.color);
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length > 0) out.push(...fileSection(file, c), "");
  }
  if (report.shellcheck.status === "missing") {
    out.push(c.yellow("ShellCheck was not found: RUN bodies were not checked (apt-get install shellcheck)"));
  }
  out.push(summary(report, c));
  return `${out.join("\n")}\n`;
}

function fileSection(file: LintFileResult, c: Colors): string[] {
  const lines = file.source?.split("\n");
  const out = [c.bold(c.underline(printable(file.file)))];
  for (const finding of file.findings) {
    out.push(findingLine(finding, c));
    if (lines) out.push(...codeFrame(lines, finding, c));
  }
  return out;
}

const LEVEL_COLOR: Record<Severity, keyof Colors> = {
  error: "red",
  warning: "yellow",
  info: "blue",
  style: "cyan",
  ignore: "gray",
};

function paint(c: Colors, level: Severity, text: string): string {
  const color = c[LEVEL_COLOR[level]] as (s: string) => string;
  return color(text);
}

function findingLine(f: Finding, c: Colors): string {
  const where = c.dim(`${printable(f.file)}:${f.line}:${f.column}`);
  const level = paint(c, f.level, f.level.padEnd(7));
  const fixable = f.fixable ? `  ${c.green("[fixable]")}` : "";
  return `${where}  ${level}  ${c.bold(codeWithAliases(f))}  ${printable(f.message)}${fixable}`;
}

/**
 * The finding's source lines with line numbers, each followed by a caret line under the
 * columns it covers (endColumn is exclusive). Tabs are expanded so carets line up.
 */
function codeFrame(lines: string[], f: Finding, c: Colors): string[] {
  if (f.line < 1 || f.line > lines.length) return [];
  const last = Math.min(Math.max(f.endLine, f.line), lines.length);
  const shownLast = Math.min(last, f.line + MAX_FRAME_LINES - 1);
  const width = String(shownLast).length;
  const out: string[] = [];
  for (let n = f.line; n <= shownLast; n++) {
    const text = lines[n - 1]!;
    const from = n === f.line ? f.column : 1;
    const to = n === last ? f.endColumn : text.length + 1;
    out.push(`  ${c.dim(`${String(n).padStart(width)} |`)} ${printable(expandTabs(text))}`);
    out.push(`  ${c.dim(`${" ".repeat(width)} |`)} ${underline(text, from, to, f.level, c)}`);
  }
  if (shownLast < last) out.push(`  ${c.dim(`${" ".repeat(width)} | ...`)}`);
  return out;
}

const TAB_WIDTH = 4;

function expandTabs(text: string): string {
  let out = "";
  for (const ch of text) out += ch === "\t" ? " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : ch;
  return out;
}

/**
 * Carets under columns [from, to) of text (at least one), leading indentation of the range
 * left out, in the tab-expanded coordinates the source line is printed in.
 */
function underline(text: string, from: number, to: number, level: Severity, c: Colors): string {
  let start = Math.min(Math.max(from, 1), text.length + 1) - 1;
  const end = Math.max(Math.min(to, text.length + 1) - 1, start + 1);
  while (start < end - 1 && /\s/.test(text[start]!)) start++;
  const indent = expandTabs(text.slice(0, start)).length;
  const span = Math.max(expandTabs(text.slice(0, end)).length - indent, 1);
  return " ".repeat(indent) + paint(c, level, "^".repeat(span));
}

/** Control characters from the Dockerfile shown as symbols, never sent to the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, (ch) =>
    String.fromCharCode(ch === "\u007F" ? 0x2421 : 0x2400 + ch.charCodeAt(0)),
  );
}

function summary(report: LintReport, c: Colors): string {
  const fileCount = `${report.files.length} ${report.files.length === 1 ? "file" : "files"}`;
  if (report.findings.length === 0) return c.green(`No problems found in ${fileCount}`);
  const counts = countByLevel(report.findings);
  const total = report.findings.length;
  const parts = [
    plural(counts.error, "error"),
    plural(counts.warning, "warning"),
    `${counts.info} info`,
    `${counts.style} style`,
  ];
  const fixable = report.findings.filter((f) => f.fixable).length;
  const text =
    `${plural(total, "problem")} (${parts.join(", ")})` +
    (fixable > 0 ? `, ${fixable} fixable with --fix` : "");
  const color = counts.error > 0 ? c.red : counts.warning > 0 ? c.yellow : (s: string) => s;
  return c.bold(color(text));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
