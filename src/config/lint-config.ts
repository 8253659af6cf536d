import type { LintSettings } from "../lint/settings.ts";

export interface ConfigEnvironment {
  cwd: string;
  /** Environment variables (HADOLINT_*, XDG_CONFIG_HOME, HOME). */
  env: Record<string, string | undefined>;
  home: string;
}

export interface LoadedLintConfig {
  /** Settings from config files and HADOLINT_* variables (flags are merged by the caller). */
  settings: Partial<LintSettings>;
  /** Files read, in order. */
  files: string[];
  format?: string;
  noColor?: boolean;
}

/**
 * Reads `.hadolint.yaml` (hadolint's lookup order), `.drydock.yaml` (`lint:` section) and the
 * HADOLINT_* environment variables. `configPath` (`--config`) replaces the lookup.
 */
export async function loadLintConfig(
  _where: ConfigEnvironment,
  _configPath?: string,
): Promise<LoadedLintConfig> {
  return { settings: {}, files: [] };
}
