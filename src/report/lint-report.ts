import type { LintReport } from "../lint/lint.ts";
import { renderCheckstyle } from "./lint/checkstyle.ts";
import { renderGithub } from "./lint/github.ts";
import { renderGitlab } from "./lint/gitlab.ts";
import { renderJson } from "./lint/json.ts";
import { renderJunit } from "./lint/junit.ts";
import type { RenderOptions } from "./lint/options.ts";
import { renderSarif } from "./lint/sarif.ts";
import { renderTty } from "./lint/tty.ts";
import type { LintFormat } from "./lint-formats.ts";

export type { RenderOptions } from "./lint/options.ts";

export { LINT_FORMATS, type LintFormat } from "./lint-formats.ts";

const RENDERERS: Record<LintFormat, (report: LintReport, options: RenderOptions) => string> = {
  tty: renderTty,
  json: renderJson,
  sarif: renderSarif,
  checkstyle: renderCheckstyle,
  gitlab: renderGitlab,
  junit: renderJunit,
  github: renderGithub,
};

/** Renders a lint report in one of the supported formats. Pure: returns the text to write. */
export function renderLintReport(report: LintReport, format: LintFormat, options: RenderOptions): string {
  return RENDERERS[format](report, options);
}
