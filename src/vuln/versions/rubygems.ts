/**
 * RubyGems versions, ordered like Gem::Version: segments of digits (numbers) and letters
 * (strings); a version with a letter is a pre-release, and a string segment sorts before any
 * number; `-` means `.pre.`; trailing zero segments do not count (1.0 = 1).
 *
 * Spec: https://guides.rubygems.org/patterns/#semantic-versioning and the Gem::Version docs,
 * https://docs.ruby-lang.org/en/master/Gem/Version.html
 * Reference implementation: rubygems' lib/rubygems/version.rb (correct?, canonical_segments, <=>),
 * https://github.com/rubygems/rubygems
 *
 * Used for the OSV ecosystem RubyGems.
 */
import { compareDigits, compareStrings, type Ordering, totalCompare, type VersionScheme } from "./types.ts";

/** A segment: digits (a number) or letters (a string). */
interface Segment {
  numeric: boolean;
  text: string;
}

// Ruby's \s is ASCII whitespace only.
const SPACE = "[ \\t\\r\\n\\f\\v]";
const PATTERN = new RegExp(
  `^${SPACE}*([0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?)?${SPACE}*$`,
);

/** Returns the canonical segments of a valid version, or null when Gem::Version rejects it. */
export function parseGemVersion(input: string): Segment[] | null {
  if (!PATTERN.test(input)) return null;
  const trimmed = input.replace(new RegExp(`^${SPACE}+|${SPACE}+$`, "g"), "");
  const version = trimmed === "" ? "0" : trimmed.replaceAll("-", ".pre.");
  return canonicalSegments(version);
}

/**
 * Drops trailing zeros (after a letter or a dot) and, in a pre-release, zeros right before the
 * first letter segment, so 1.0.0 = 1 and 1.2.0.pre.1.0 = 1.2.pre.1.
 */
function canonicalSegments(version: string): Segment[] {
  let canonical = version.replace(/(?<=[a-zA-Z.])[.0]+$/, "");
  if (/[a-zA-Z]/.test(version)) canonical = canonical.replace(/(?<=\.|^)[0.]+(?=[a-zA-Z])/, "");
  return (canonical.match(/[0-9]+|[a-zA-Z]+/g) ?? []).map((text) => ({ numeric: /^[0-9]/.test(text), text }));
}

function compareSegmentLists(left: Segment[], right: Segment[]): Ordering {
  const limit = Math.min(left.length, right.length);
  for (let i = 0; i < limit; i++) {
    const l = left[i]!;
    const r = right[i]!;
    if (l.numeric !== r.numeric) return l.numeric ? 1 : -1;
    const order = l.numeric ? compareDigits(l.text, r.text) : compareStrings(l.text, r.text);
    if (order !== 0) return order;
  }
  // The longer version: a string segment left over makes it older, a non-zero number newer.
  const [rest, longerIsLeft] = left.length > limit ? [left.slice(limit), true] : [right.slice(limit), false];
  for (const segment of rest) {
    if (!segment.numeric) return longerIsLeft ? -1 : 1;
    if (!/^0+$/.test(segment.text)) return longerIsLeft ? 1 : -1;
  }
  return 0;
}

export const rubygems: VersionScheme = {
  name: "rubygems",
  compare: totalCompare(parseGemVersion, compareSegmentLists),
  isValid: (version) => parseGemVersion(version) !== null,
};
