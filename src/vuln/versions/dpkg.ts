/**
 * Debian package versions, `[epoch:]upstream_version[-debian_revision]`.
 *
 * Spec: deb-version(7), https://manpages.debian.org/unstable/dpkg-dev/deb-version.7.en.html
 * Reference implementation: dpkg's lib/dpkg/version.c (verrevcmp) and lib/dpkg/parsehelp.c
 * (parseversion), https://git.dpkg.org/cgit/dpkg/dpkg.git
 *
 * Used for the OSV ecosystems Debian and Ubuntu.
 */
import { compareDigits, type Ordering, rememberParses, sign, type VersionScheme } from "./types.ts";

interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const MAX_EPOCH = 2147483647; // dpkg stores the epoch in an int

export const dpkg: VersionScheme = {
  name: "dpkg",
  compare(a, b) {
    const x = splitVersion(a);
    const y = splitVersion(b);
    return (
      compareDigits(x.epoch, y.epoch) ||
      compareFragment(x.upstream, y.upstream) ||
      compareFragment(x.revision, y.revision)
    );
  },
  isValid(version) {
    return validationError(version) === null;
  },
};

/** Splits any string the way dpkg does for a valid one, so that comparison is total. */
const splitVersion = rememberParses(splitAnyVersion);

function splitAnyVersion(version: string): DebianVersion {
  const trimmed = trimBlanks(version);
  const epochMatch = /^([0-9]+):(.+)$/s.exec(trimmed);
  const epoch = epochMatch ? epochMatch[1]! : "0";
  const rest = epochMatch ? epochMatch[2]! : trimmed;
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, upstream: rest, revision: "" };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}

/** dpkg's parseversion checks; its warnings (bad characters, no leading digit) count as errors. */
export function validationError(version: string): string | null {
  const trimmed = trimBlanks(version);
  if (trimmed === "") return "version string is empty";
  if (/[ \t]/.test(trimmed)) return "version string has embedded spaces";
  let rest = trimmed;
  const colon = trimmed.indexOf(":");
  if (colon >= 0) {
    const epoch = trimmed.slice(0, colon);
    if (epoch === "") return "epoch in version is empty";
    if (!/^[0-9]+$/.test(epoch)) return "epoch in version is not number";
    if (compareDigits(epoch, String(MAX_EPOCH)) > 0) return "epoch in version is too big";
    rest = trimmed.slice(colon + 1);
    if (rest === "") return "nothing after colon in version number";
  }
  const hyphen = rest.lastIndexOf("-");
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? "" : rest.slice(hyphen + 1);
  if (hyphen >= 0 && revision === "") return "revision number is empty";
  if (upstream === "") return "version number is empty";
  if (!isDigit(upstream.charCodeAt(0))) return "version number does not start with digit";
  if (!/^[0-9A-Za-z.+~:-]*$/.test(upstream)) return "invalid character in version number";
  if (!/^[0-9A-Za-z.+~]*$/.test(revision)) return "invalid character in revision number";
  return null;
}

/**
 * Compares an upstream version or a revision: alternating non-digit and digit runs; non-digit
 * runs compare character by character with `~` before the end of the string, the end before
 * letters, and letters before every other character; digit runs compare as numbers.
 */
function compareFragment(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const difference = order(a, i) - order(b, j);
      if (difference !== 0) return sign(difference);
      i++;
      j++;
    }
    // Digit runs by value, read in place (a scan compares thousands of versions).
    while (i < a.length && a.charCodeAt(i) === 0x30) i++;
    while (j < b.length && b.charCodeAt(j) === 0x30) j++;
    const endA = digitRunEnd(a, i);
    const endB = digitRunEnd(b, j);
    if (endA - i !== endB - j) return endA - i < endB - j ? -1 : 1;
    for (; i < endA; i++, j++) {
      const difference = a.charCodeAt(i) - b.charCodeAt(j);
      if (difference !== 0) return sign(difference);
    }
  }
  return 0;
}

/** Sort weight of the character at `index`; digits and the end of the string weigh 0. */
function order(text: string, index: number): number {
  if (index >= text.length) return 0;
  const code = text.charCodeAt(index);
  if (isDigit(code)) return 0;
  if (isAsciiLetter(code)) return code;
  if (code === 0x7e /* ~ */) return -1;
  return code + 256;
}

function digitRunEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** dpkg trims blanks (space and tab) around a version. */
function trimBlanks(version: string): string {
  return version.replace(/^[ \t]+|[ \t]+$/g, "");
}
