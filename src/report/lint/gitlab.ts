import { crypto } from "../../builtins.ts";
import type { LintReport } from "../../lint/lint.ts";
import type { Finding, Severity } from "../../lint/types.ts";
import type { RenderOptions } from "./options.ts";
import { portablePath } from "./paths.ts";

/**
 * GitLab Code Quality report (a subset of the Code Climate issue format).
 * Spec: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 * Severities map as hadolint's `gitlab_codeclimate` formatter does.
 */
const SEVERITY: Record<Severity, string> = {
  error: "blocker",
  warning: "major",
  info: "info",
  style: "minor",
  ignore: "info",
};

export function renderGitlab(report: LintReport, options: RenderOptions): string {
  const seen = new Map<string, number>();
  const issues = report.files
    .flatMap((file) => file.findings)
    .map((f) => {
      const path = portablePath(f.file, options.cwd);
      return {
        type: "issue",
        check_name: f.code,
        description: `${f.code}: ${f.message}`,
        categories: [f.level === "style" ? "Style" : "Bug Risk"],
        fingerprint: fingerprint(f, path, seen),
        severity: SEVERITY[f.level],
        location: { path, lines: { begin: f.line, end: f.endLine } },
      };
    });
  return `${JSON.stringify(issues, null, 2)}\n`;
}

/**
 * Stable per issue: a hash of path, position, code and message. GitLab merges issues with equal
 * fingerprints, so an exact repeat gets its occurrence number mixed in.
 */
function fingerprint(f: Finding, path: string, seen: Map<string, number>): string {
  const key = JSON.stringify([path, f.line, f.column, f.code, f.message]);
  const occurrence = seen.get(key) ?? 0;
  seen.set(key, occurrence + 1);
  const material = occurrence === 0 ? key : `${key}#${occurrence}`;
  return crypto().createHash("sha1").update(material).digest("hex");
}
