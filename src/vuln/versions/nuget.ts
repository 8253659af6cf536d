/**
 * NuGet package versions: SemVer 2.0 with up to four numbers (a legacy fourth "revision"), one
 * or two numbers allowed (1 = 1.0 = 1.0.0.0), leading zeros tolerated in the numbers (1.01 = 1.1),
 * release labels compared case-insensitively, build metadata ignored.
 *
 * Spec: https://learn.microsoft.com/en-us/nuget/concepts/package-versioning
 * Reference implementation: NuGet.Versioning's NuGetVersionFactory.cs (TryParse),
 * SemanticVersionFactory.cs (ParseSections, IsValidPart) and VersionComparer.cs (Default mode),
 * https://github.com/NuGet/NuGet.Client
 *
 * The numbers are plain ASCII digits here; .NET's Version.TryParse would also take a sign or
 * inner spaces in them, which no published package has.
 *
 * Used for the OSV ecosystem NuGet.
 */
import { compareStrings, type Ordering, sign, totalCompare, type VersionScheme } from "./types.ts";

interface NuGetVersion {
  /** major, minor, patch, revision (missing parts are 0). */
  numbers: [number, number, number, number];
  /** Release labels; empty for a release. */
  labels: string[];
}

const INT32_MAX = 2147483647;
const LABEL = /^[0-9A-Za-z-]+$/;

export function parseNuGetVersion(input: string): NuGetVersion | null {
  const value = input.trim();
  // The numbers end at the first `-` or `+`; labels run from that `-` to the next `+`.
  const split = /^([^+-]*)(?:-([^+]*))?(?:\+(.*))?$/s.exec(value);
  if (!split) return null;
  const [, numberText, labelText, metadata] = split;
  const numbers = parseNumbers(numberText!);
  if (!numbers) return null;
  const labels = labelText === undefined ? [] : labelText.split(".");
  if (!labels.every(isValidLabel)) return null;
  if (metadata !== undefined && !metadata.split(".").every((part) => LABEL.test(part))) return null;
  return { numbers, labels };
}

/** One to four dot-separated numbers, each within a 32-bit int (System.Version). */
function parseNumbers(text: string): NuGetVersion["numbers"] | null {
  const parts = text.split(".");
  if (parts.length > 4 || !parts.every((part) => /^[0-9]+$/.test(part))) return null;
  const values = parts.map(Number);
  if (values.some((n) => n > INT32_MAX)) return null;
  return [values[0]!, values[1] ?? 0, values[2] ?? 0, values[3] ?? 0];
}

/** A label: letters, digits and hyphens; a numeric label may not have a leading zero. */
function isValidLabel(label: string): boolean {
  return LABEL.test(label) && !/^0[0-9]+$/.test(label);
}

function compareParsed(a: NuGetVersion, b: NuGetVersion): Ordering {
  for (let i = 0; i < 4; i++) {
    if (a.numbers[i] !== b.numbers[i]) return sign(a.numbers[i]! - b.numbers[i]!);
  }
  if (a.labels.length === 0 || b.labels.length === 0) {
    return a.labels.length === b.labels.length ? 0 : a.labels.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.min(a.labels.length, b.labels.length); i++) {
    const order = compareLabel(a.labels[i]!, b.labels[i]!);
    if (order !== 0) return order;
  }
  return sign(a.labels.length - b.labels.length);
}

/**
 * Labels that parse as a 32-bit int (C#'s int.TryParse, so "-5" too) compare as numbers and
 * sort before the others, which compare ordinally ignoring case.
 */
function compareLabel(a: string, b: string): Ordering {
  const x = asInt32(a);
  const y = asInt32(b);
  if (x !== null && y !== null) return sign(x - y);
  if (x !== null || y !== null) return x !== null ? -1 : 1;
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

function asInt32(label: string): number | null {
  if (!/^-?[0-9]+$/.test(label)) return null;
  const value = Number(label);
  return value >= -INT32_MAX - 1 && value <= INT32_MAX ? value : null;
}

export const nuget: VersionScheme = {
  name: "nuget",
  compare: totalCompare(parseNuGetVersion, compareParsed),
  isValid: (version) => parseNuGetVersion(version) !== null,
};
