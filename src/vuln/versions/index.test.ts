import { describe, expect, test } from "vitest";
import {
  apk,
  apk2,
  dpkg,
  go,
  maven,
  nuget,
  pep440,
  rpm,
  rubygems,
  SCHEMES_BY_ECOSYSTEM,
  semver,
  versionSchemeFor,
} from "./index.ts";

describe("versionSchemeFor", () => {
  test.each([
    ["Debian", dpkg],
    ["Debian:12", dpkg],
    ["Ubuntu:22.04:LTS", dpkg],
    ["Alpine:v3.18", apk2],
    ["Alpine:v3.20", apk2],
    ["Alpine:v3.22", apk2],
    ["Alpine:v3.23", apk],
    ["Alpine:v4.0", apk],
    ["Alpine:edge", apk],
    ["Alpine", apk],
    ["Red Hat:enterprise_linux:9::appstream", rpm],
    ["Rocky Linux:9", rpm],
    ["AlmaLinux:8", rpm],
    ["openSUSE:Leap 15.5", rpm],
    ["SUSE:Linux Enterprise Server 15 SP5", rpm],
    ["PyPI", pep440],
    ["npm", semver],
    ["crates.io", semver],
    ["Go", go],
    ["Maven", maven],
    ["RubyGems", rubygems],
    ["NuGet", nuget],
  ])("%s -> its scheme", (ecosystem, scheme) => {
    expect(versionSchemeFor(ecosystem)).toBe(scheme);
  });

  test("unknown ecosystems have no scheme", () => {
    expect(versionSchemeFor("Packagist")).toBeNull();
    expect(versionSchemeFor("toString")).toBeNull();
    expect(versionSchemeFor("")).toBeNull();
  });

  test("every scheme is a total order that never throws on junk", () => {
    for (const scheme of new Set([...Object.values(SCHEMES_BY_ECOSYSTEM), apk2])) {
      for (const junk of ["", " ", "junk", "💥", "1..2", "-", "+"]) {
        expect([-1, 0, 1]).toContain(scheme.compare(junk, "1.0"));
        expect(scheme.compare(junk, junk)).toBe(0);
        expect(typeof scheme.isValid(junk)).toBe("boolean");
      }
    }
  });
});
