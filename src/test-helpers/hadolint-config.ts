import { defaultLintSettings, type LintSettings } from "../lint/settings.ts";
import type { LabelType } from "../lint/types.ts";

const LABEL_TYPES: Record<string, LabelType> = {
  RawText: "text",
  Url: "url",
  SemVer: "semver",
  GitHash: "hash",
  Rfc3339: "rfc3339",
  Spdx: "spdx",
  Email: "email",
};

/** Translates the Haskell config expression of a test into our settings. */
export function settingsFor(config: string): LintSettings {
  const settings = defaultLintSettings();
  const registries = /allowedRegistries = \[([^\]]*)\]/.exec(config);
  if (registries) settings.trustedRegistries = [...registries[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  for (const m of config.matchAll(/\("([^"]+)", (?:Rule\.)?(\w+)\)/g)) {
    settings.labelSchema[m[1]!] = LABEL_TYPES[m[2]!] ?? "text";
  }
  if (/strictLabels = True/.test(config)) settings.strictLabels = true;
  return settings;
}
