/**
 * Go module versions: semantic versions with a `v` prefix, as golang.org/x/mod/semver orders them.
 * Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019...-hash`) are ordinary
 * pre-releases and sort as such; `+incompatible` is build metadata and does not affect order.
 *
 * Spec: https://go.dev/ref/mod#versions and https://go.dev/ref/mod#pseudo-versions
 * Reference implementation: golang.org/x/mod/semver (semver.go), https://go.googlesource.com/mod
 *
 * OSV writes Go versions without the `v` (`1.2.3`), Go itself with it; both are accepted. Like
 * Go, the shorthands `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`, but not with a pre-release or
 * build suffix.
 *
 * Used for the OSV ecosystem Go.
 */
import { compareDigits, compareStrings, type Ordering, totalCompare, type VersionScheme } from "./types.ts";

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  /** Dot-separated identifiers after `-`, empty for a release. */
  prerelease: string[];
}

const NUMBER = "(0|[1-9][0-9]*)";
const IDENTIFIER = "[0-9A-Za-z-]+";
const FULL = new RegExp(
  `^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+${IDENTIFIER}(?:\\.${IDENTIFIER})*)?$`,
);
const SHORTHAND = new RegExp(`^v?${NUMBER}(?:\\.${NUMBER})?$`);

export function parseGoVersion(version: string): GoVersion | null {
  const full = FULL.exec(version);
  if (full) {
    const prerelease = full[4] === undefined ? [] : full[4].split(".");
    // Numeric pre-release identifiers may not have leading zeros.
    if (prerelease.some((id) => /^0[0-9]+$/.test(id))) return null;
    return { major: full[1]!, minor: full[2]!, patch: full[3]!, prerelease };
  }
  const short = SHORTHAND.exec(version);
  if (short) return { major: short[1]!, minor: short[2] ?? "0", patch: "0", prerelease: [] };
  return null;
}

function compareParsed(a: GoVersion, b: GoVersion): Ordering {
  return (
    compareDigits(a.major, b.major) ||
    compareDigits(a.minor, b.minor) ||
    compareDigits(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/** A release sorts after its pre-releases; identifiers compare numerically, else by ASCII. */
function comparePrerelease(a: string[], b: string[]): Ordering {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifier(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareIdentifier(a: string, b: string): Ordering {
  const numericA = /^[0-9]+$/.test(a);
  const numericB = /^[0-9]+$/.test(b);
  if (numericA && numericB) return compareDigits(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return compareStrings(a, b);
}

export const go: VersionScheme = {
  name: "go",
  compare: totalCompare(parseGoVersion, compareParsed),
  isValid: (version) => parseGoVersion(version) !== null,
};
