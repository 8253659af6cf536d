/**
 * `lint --fix`: applies the fixes of reported findings until nothing changes.
 *
 * Each round analyses the text, keeps the fixes of findings that would be reported (ignored
 * codes, pragmas, `# check=skip=` and `ignore` levels respected; `settings.fix[CODE] === false`
 * turns a fixer off), applies those whose edits do not overlap an edit taken earlier in the
 * round, and analyses again: a deferred fix gets its chance on the new text. A fix is atomic
 * (all its edits or none), and one that would add a parse error is dropped. The loop ends when
 * a round changes nothing, so running on the output again is a no-op.
 */
import { parseDockerfile } from "../dockerfile/parse.ts";
import { type Analysis, analyze, finalize, type RawHit } from "./engine.ts";
import type { LintSettings } from "./settings.ts";
import type { ContextAccess, Fix, TextEdit } from "./types.ts";

export interface FixResult {
  output: string;
  /** Codes of the fixes applied, in order. */
  applied: { code: string; line: number; description: string }[];
}

/** Rounds before we give up on reaching a fixed point (each round re-analyses the file). */
const MAX_ROUNDS = 10;

const NO_CONTEXT: ContextAccess = { dir: null, readFile: () => null };

/**
 * Applies every safe fix until nothing changes (so a second run is a no-op). Overlapping
 * edits are deferred to the next round. The output has LF line endings (`writeFixes`
 * restores CRLF for files that had it).
 */
export function applyFixes(
  source: string,
  file: string,
  settings: LintSettings,
  context: ContextAccess = NO_CONTEXT,
): FixResult {
  let text = source.replace(/\r\n?/g, "\n");
  const applied: FixResult["applied"] = [];
  const seen = new Set<string>([text]);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const analysis = analyze(text, file, settings, context);
    const errors = analysis.dockerfile.errors.length;
    const candidates = reportedFixes(analysis, settings).filter((c) => keepsParsing(text, errors, c.fix));
    const chosen = chooseNonOverlapping(candidates);
    if (chosen.length === 0) break;
    const next = applyEdits(
      text,
      chosen.flatMap((c) => c.fix.edits),
    );
    // A cycle (fix A undoes fix B) would never settle: stop at the first repeated text.
    if (next === text || seen.has(next)) break;
    seen.add(next);
    for (const c of chosen) applied.push({ code: c.code, line: c.line, description: c.fix.description });
    text = next;
  }
  return { output: text, applied };
}

export interface FixCandidate {
  code: string;
  line: number;
  fix: Fix;
}

/** Fixes of hits that survive `finalize` and whose fixer is not switched off. */
export function reportedFixes(analysis: Analysis, settings: LintSettings): FixCandidate[] {
  const candidates: FixCandidate[] = [];
  for (const hit of analysis.hits) {
    if (!hit.fix || hit.fix.edits.length === 0 || fixDisabled(hit, settings)) continue;
    if (finalize({ ...analysis, hits: [hit] }, [], settings).length === 0) continue;
    candidates.push({ code: hit.code, line: hit.line, fix: hit.fix });
  }
  return candidates;
}

function fixDisabled(hit: RawHit, settings: LintSettings): boolean {
  return [hit.code, ...hit.aliases].some((name) => settings.fix[name] === false);
}

/** A fix must not turn a file that parses into one that does not (a fixer bug guard). */
function keepsParsing(text: string, errorsBefore: number, fix: Fix): boolean {
  return parseDockerfile(applyEdits(text, fix.edits)).errors.length <= errorsBefore;
}

/**
 * Fixes in source order whose edits do not clash with the edits already chosen. Identical
 * edits (two findings repaired by the same change, e.g. one SHELL line for several RUNs) are
 * not a clash; they are applied once.
 */
export function chooseNonOverlapping(candidates: FixCandidate[]): FixCandidate[] {
  const ordered = [...candidates].sort(
    (a, b) => firstStart(a.fix) - firstStart(b.fix) || a.code.localeCompare(b.code) || a.line - b.line,
  );
  const taken: TextEdit[] = [];
  const chosen: FixCandidate[] = [];
  for (const candidate of ordered) {
    if (candidate.fix.edits.some((edit) => taken.some((other) => clash(edit, other)))) continue;
    taken.push(...candidate.fix.edits);
    chosen.push(candidate);
  }
  return chosen;
}

function firstStart(fix: Fix): number {
  return Math.min(...fix.edits.map((e) => e.start));
}

/** Overlapping ranges, or two edits at the same offset (their order would be a guess). */
function clash(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start && a.end === b.end && a.text === b.text) return false;
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

/** Applies non-overlapping edits (duplicates once), from the end so offsets stay valid. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const unique = edits.filter(
    (e, k) => edits.findIndex((o) => o.start === e.start && o.end === e.end && o.text === e.text) === k,
  );
  const ordered = unique.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of ordered) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
