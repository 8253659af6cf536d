/**
 * Python package versions (PEP 440), through @renovatebot/pep440, a port of pypa/packaging's
 * Version class (epochs, pre-, post- and dev-releases, local versions).
 *
 * Spec: https://packaging.python.org/en/latest/specifications/version-specifiers/
 * Library: https://github.com/renovatebot/pep440 (4.x: the last line that runs on Node 20)
 *
 * Used for the OSV ecosystem PyPI.
 */
import { compare, valid } from "@renovatebot/pep440";
import { rememberParses, sign, totalCompare, type VersionScheme } from "./types.ts";

/** packaging strips surrounding whitespace before matching; the library does not. */
const normalize = rememberParses((version: string): string | null => {
  const trimmed = version.trim();
  return valid(trimmed) === null ? null : trimmed;
});

export const pep440: VersionScheme = {
  name: "pep440",
  compare: totalCompare(normalize, (a, b) => sign(compare(a, b))),
  isValid: (version) => normalize(version) !== null,
};
