/** Helpers for fixer tests: one code's fixes for one round, or the whole fix loop. */
import { analyze } from "../engine.ts";
import { applyEdits, applyFixes, chooseNonOverlapping } from "../fix.ts";
import { defaultLintSettings, type LintSettings } from "../settings.ts";
import type { ContextAccess } from "../types.ts";

export const NO_CONTEXT: ContextAccess = { dir: null, readFile: () => null };

/** A build context made of in-memory files (path → content). */
export function fakeContext(files: Record<string, string>): ContextAccess {
  return { dir: "/ctx", readFile: (path) => files[path.replace(/^\.\//, "")] ?? null };
}

/**
 * The text after one round of the fixes of `code` alone (the rule's real findings, the
 * fixer's edits); the input unchanged when the fixer offers nothing.
 */
export function fixCode(code: string, source: string, context: ContextAccess = NO_CONTEXT): string {
  const analysis = analyze(source, "Dockerfile", defaultLintSettings(), context);
  const candidates = analysis.hits
    .filter((h) => h.code === code && h.fix)
    .map((h) => ({ code: h.code, line: h.line, fix: h.fix! }));
  const chosen = chooseNonOverlapping(candidates);
  return applyEdits(
    analysis.dockerfile.source,
    chosen.flatMap((c) => c.fix.edits),
  );
}

/** The whole `--fix` loop with default settings (overridable). */
export function fixAll(
  source: string,
  settings: Partial<LintSettings> = {},
  context?: ContextAccess,
): string {
  return applyFixes(source, "Dockerfile", { ...defaultLintSettings(), ...settings }, context).output;
}

/** Dockerfile text from lines. */
export function df(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
