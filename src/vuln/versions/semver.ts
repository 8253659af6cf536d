/**
 * Semantic Versioning 2.0.0 precedence, through the npm `semver` package (strict parsing, so
 * only a leading `v` or `=` and surrounding spaces are tolerated; build metadata is ignored).
 *
 * Spec: https://semver.org/spec/v2.0.0.html#spec-item-11
 * Library: https://github.com/npm/node-semver
 *
 * Used for the OSV ecosystems npm and crates.io, and for OSV ranges of type SEMVER.
 */
import { parse, type SemVer } from "semver";
import { totalCompare, type VersionScheme } from "./types.ts";

function parseStrict(version: string): SemVer | null {
  return parse(version, { loose: false });
}

export const semver: VersionScheme = {
  name: "semver",
  compare: totalCompare(parseStrict, (a, b) => a.compare(b)),
  isValid: (version) => parseStrict(version) !== null,
};
