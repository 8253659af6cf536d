/**
 * Semantic Versioning 2.0.0 precedence, through the npm `semver` package (strict parsing, so
 * only a leading `v` or `=` and surrounding spaces are tolerated; build metadata is ignored).
 *
 * Spec: https://semver.org/spec/v2.0.0.html#spec-item-11
 * Library: https://github.com/npm/node-semver
 *
 * Used for the OSV ecosystems npm and crates.io, and for OSV ranges of type SEMVER.
 */
import type { SemVer } from "semver";
// The parser alone: the package's index loads every range and comparison module.
import parse from "semver/functions/parse.js";
import { rememberParses, totalCompare, type VersionScheme } from "./types.ts";

const parseStrict = rememberParses((version: string): SemVer | null => parse(version, { loose: false }));

export const semver: VersionScheme = {
  name: "semver",
  compare: totalCompare(parseStrict, (a, b) => a.compare(b)),
  isValid: (version) => parseStrict(version) !== null,
};
