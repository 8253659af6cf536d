/**
 * Version schemes by OSV ecosystem. OSV ecosystem strings may carry a release after a colon
 * (`Debian:12`, `Alpine:v3.20`, `Ubuntu:22.04:LTS`, `Red Hat:enterprise_linux:9::appstream`);
 * only the part before the first colon picks the scheme.
 *
 * Ecosystem names: https://ossf.github.io/osv-schema/#defined-ecosystems
 */
import { apk } from "./apk.ts";
import { apk2 } from "./apk2.ts";
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
export { apk, apk2, dpkg, go, maven, nuget, pep440, rpm, rubygems, semver };

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

/** The last Alpine release whose apk is apk-tools 2 (3.23 ships apk-tools 3). */
const LAST_APK_TOOLS_2 = [3, 22];

/**
 * Alpine releases up to 3.22 order versions as apk-tools 2 does (apk2.ts); later ones, edge and
 * a bare `Alpine` as apk-tools 3 (apk.ts). The two differ only on zero-padded dotted numbers and
 * `~hash` parts (apk2.test.ts lists the upstream vectors they answer differently).
 */
function alpineScheme(ecosystem: string): VersionScheme {
  const release = /^Alpine:v(\d+)\.(\d+)$/.exec(ecosystem.trim());
  if (!release) return apk;
  const [major, minor] = [Number(release[1]), Number(release[2])];
  const [lastMajor, lastMinor] = LAST_APK_TOOLS_2 as [number, number];
  return major < lastMajor || (major === lastMajor && minor <= lastMinor) ? apk2 : apk;
}

/** The scheme for an OSV ecosystem such as `Debian:12` or `PyPI`, or null when we have none. */
export function versionSchemeFor(ecosystem: string): VersionScheme | null {
  const base = ecosystem.split(":", 1)[0]!.trim();
  if (base === "Alpine") return alpineScheme(ecosystem);
  return Object.hasOwn(SCHEMES_BY_ECOSYSTEM, base) ? SCHEMES_BY_ECOSYSTEM[base]! : null;
}
