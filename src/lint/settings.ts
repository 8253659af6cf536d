import type { LabelType, Severity } from "./types.ts";

export type ShellcheckMode = "off" | "auto" | "required";

/** Everything that changes what `lint` reports; built from config files and flags. */
export interface LintSettings {
  /** Codes (or BuildKit aliases) never reported. */
  ignored: string[];
  /** Severity overrides per code. */
  override: Partial<Record<Exclude<Severity, "ignore">, string[]>>;
  failureThreshold: Severity | "none";
  noFail: boolean;
  disableIgnorePragma: boolean;
  trustedRegistries: string[];
  labelSchema: Record<string, LabelType>;
  strictLabels: boolean;
  shellcheck: ShellcheckMode;
  /** Per-rule fix switch (`.drydock.yaml` lint.fix); a rule is fixable unless set to false. */
  fix: Record<string, boolean>;
}

export function defaultLintSettings(): LintSettings {
  return {
    ignored: [],
    override: {},
    failureThreshold: "info",
    noFail: false,
    disableIgnorePragma: false,
    trustedRegistries: [],
    labelSchema: {},
    strictLabels: false,
    shellcheck: "auto",
    fix: {},
  };
}
