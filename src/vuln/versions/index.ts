/**
 * Version schemes by OSV ecosystem. OSV ecosystem strings may carry a release after a colon
 * (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Red Hat:enterprise_linux:9::appstream`);
 * only the part before the first colon picks the scheme.
 *
 * Ecosystem names: https://ossf.github.io/osv-schema/#defined-ecosystems
 */
import { apk } from "./apk.ts";
import { dpkg } from "./dpkg.ts";
import { go } from "./go.ts";
import { maven } from "./maven.ts";
import { nuget } from "./nuget.ts";
import { pep440 } from "./pep440.ts";
import { rpm } from "./rpm.ts";
import { rubygems } from "./rubygems.ts";
import { semver } from "./semver.ts";
import type { VersionScheme } from "./types.ts";

export { type EpochVersionRelease, rpmvercmp, splitEVR } from "./rpm.ts";
export type { Ordering, VersionScheme } from "./types.ts";
export { apk, dpkg, go, maven, nuget, pep440, rpm, rubygems, semver };

export const SCHEMES_BY_ECOSYSTEM: Readonly<Record<string, VersionScheme>> = {
  Debian: dpkg,
  Ubuntu: dpkg,
  Alpine: apk,
  Wolfi: apk,
  Chainguard: apk,
  "Red Hat": rpm,
  "Rocky Linux": rpm,
  AlmaLinux: rpm,
  openSUSE: rpm,
  SUSE: rpm,
  Mageia: rpm,
  openEuler: rpm,
  "Photon OS": rpm,
  "Azure Linux": rpm,
  PyPI: pep440,
  npm: semver,
  "crates.io": semver,
  Go: go,
  Maven: maven,
  RubyGems: rubygems,
  NuGet: nuget,
};

/** The scheme for an OSV ecosystem such as `Debian:12` or `PyPI`, or null when we have none. */
export function versionSchemeFor(ecosystem: string): VersionScheme | null {
  const base = ecosystem.split(":", 1)[0]!.trim();
  return Object.hasOwn(SCHEMES_BY_ECOSYSTEM, base) ? SCHEMES_BY_ECOSYSTEM[base]! : null;
}
