/** The `drydock lint --format` names, apart from the renderers so the CLI's help loads nothing else. */
export const LINT_FORMATS = ["tty", "json", "sarif", "checkstyle", "gitlab", "junit", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];
