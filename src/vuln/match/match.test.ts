import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDb, pkg, withStore } from "../test-helpers/db.ts";
import {
  ALPINE_SECDB,
  alpineRecord,
  CRITICAL_V3,
  debianRecord,
  ghsaRecord,
  HIGH_V3,
  PYPA_VULNS,
  tempDir,
} from "../test-helpers/records.ts";
import type { DistroRelease, ScanPackage } from "../types.ts";
import { matchPackages } from "./match.ts";
import { distroFromQualifier, matchTarget, sourceRpmName } from "./targets.ts";

let dbPath: string;
let cleanup: () => void;

beforeAll(async () => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  dbPath = await buildDb(
    temp.dir,
    [
      {
        ...debianRecord({
          cve: "CVE-2024-0001",
          source: "openssl",
          fixed: "3.0.13-1~deb12u1",
          urgency: "high",
        }),
        affected: [
          ...debianRecord({
            cve: "CVE-2024-0001",
            source: "openssl",
            fixed: "3.0.13-1~deb12u1",
            urgency: "high",
          }).affected!,
          ...debianRecord({
            cve: "CVE-2024-0001",
            source: "openssl",
            release: "11",
            fixed: "1.1.1w-0+deb11u2",
          }).affected!,
        ],
      },
      debianRecord({ cve: "CVE-2010-4756", source: "glibc", urgency: "unimportant" }),
      alpineRecord({ id: "ALPINE-CVE-2024-0002", origin: "openssl", fixed: "3.1.7-r1", cvss: CRITICAL_V3 }),
      alpineRecord({ id: "ALPINE-CVE-2024-0003", origin: "openssl", release: "v3.20", fixed: "3.3.2-r1" }),
      alpineRecord({ id: "ALPINE-CVE-2024-0004", origin: "busybox", lastAffected: "1.36.1-r7" }),
      // One vulnerability, two databases: PyPA's PYSEC and GitHub's GHSA alias each other.
      ghsaRecord({
        id: "GHSA-aaaa-bbbb-cccc",
        ecosystem: "PyPI",
        name: "aiohttp",
        fixed: "3.7.4",
        aliases: ["CVE-2021-21330", "PYSEC-2021-76"],
        rating: "MODERATE",
      }),
      // A CVE record elsewhere gives the secdb record (no score) its severity.
      ghsaRecord({
        id: "GHSA-zzzz",
        ecosystem: "npm",
        name: "other",
        aliases: ["CVE-2019-14904"],
        cvss: HIGH_V3,
      }),
      ghsaRecord({
        id: "GHSA-mvn",
        ecosystem: "Maven",
        name: "org.apache.logging.log4j:log4j-core",
        introduced: "2.0-beta9",
        fixed: "2.15.0",
        cvss: CRITICAL_V3,
      }),
      ghsaRecord({
        id: "GHSA-npm",
        ecosystem: "npm",
        name: "@babel/traverse",
        fixed: "7.23.2",
        rating: "CRITICAL",
      }),
      {
        id: "GO-2024-0001",
        modified: "2024-05-01T00:00:00Z",
        affected: [
          {
            package: { ecosystem: "Go", name: "stdlib" },
            ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.21.9" }] }],
          },
          {
            package: { ecosystem: "Go", name: "golang.org/x/net" },
            ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.23.0" }] }],
          },
        ],
      },
    ],
    [PYPA_VULNS(), ALPINE_SECDB()],
  );
}, 120_000);

afterAll(() => cleanup());

const debian12: DistroRelease = { id: "debian", versionId: "12" };
const alpine318: DistroRelease = { id: "alpine", versionId: "3.18.9" };

function match(packages: ScanPackage[], distro?: DistroRelease) {
  return withStore(dbPath, (store) => matchPackages(store, packages, distro));
}

describe("distro packages", () => {
  it("matches a Debian binary package by its source package, source version and release", () => {
    const libssl = pkg({
      name: "libssl3",
      version: "3.0.11-1~deb12u2",
      type: "deb",
      metadata: { source: "openssl" },
      purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl",
    });
    const { findings } = match([libssl], debian12);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: "CVE-2024-0001",
      aliases: ["DEBIAN-CVE-2024-0001"],
      upstream: [],
      records: ["DEBIAN-CVE-2024-0001"],
      fixedVersion: "3.0.13-1~deb12u1",
      fixState: "fixed",
      package: { name: "libssl3", ecosystem: "Debian:12", matchedName: "openssl" },
      severity: { level: "high", source: "Debian" },
    });
    expect(findings[0]!.locations).toEqual(libssl.locations);
    // Debian 11's record (same CVE, other release) is not used: the fix is 12's.
    const { purl: _purl, ...fromOsRelease } = libssl;
    const bullseye = { ...fromOsRelease, name: "libssl1.1", version: "1.1.1n-0+deb11u5" };
    expect(match([bullseye], { id: "debian", versionId: "11" }).findings[0]!.fixedVersion).toBe(
      "1.1.1w-0+deb11u2",
    );
    expect(match([fromOsRelease], { id: "debian", versionId: "11" }).findings).toEqual([]);
  });

  it("compares the source version when it differs (binNMU), and reports unfixed issues", () => {
    const libc = pkg({
      name: "libc6",
      version: "2.36-9+deb12u4+b1",
      type: "deb",
      metadata: { source: "glibc", sourceVersion: "2.36-9+deb12u4" },
    });
    const [finding] = match([libc], debian12).findings;
    expect(finding).toMatchObject({
      id: "CVE-2010-4756",
      fixState: "not-fixed",
      package: { matchedVersion: "2.36-9+deb12u4" },
      severity: { level: "negligible" },
    });
    expect(finding!.fixedVersion).toBeUndefined();
  });

  it("matches Alpine packages by origin and release (v3.18 only), with last_affected", () => {
    const packages = [
      pkg({ name: "libcrypto3", version: "3.1.7-r0", type: "apk", metadata: { origin: "openssl" } }),
      pkg({ name: "busybox-binsh", version: "1.36.1-r7", type: "apk", metadata: { origin: "busybox" } }),
      pkg({ name: "ssl_client", version: "1.36.1-r8", type: "apk", metadata: { origin: "busybox" } }),
    ];
    const { findings } = match(packages, alpine318);
    expect(findings.map((f) => [f.package.name, f.id, f.fixedVersion, f.severity.level])).toEqual([
      ["libcrypto3", "ALPINE-CVE-2024-0002", "3.1.7-r1", "critical"],
      ["busybox-binsh", "ALPINE-CVE-2024-0004", undefined, "unknown"],
    ]);
  });

  it("matches secdb data (v3.11) and borrows a severity from another record of the same CVE", () => {
    // alpine-secdb v3.11 main: ansible 2.9.3-r0 fixes CVE-2019-14904 and CVE-2019-14905.
    const ansible = pkg({ name: "ansible", version: "2.9.2-r0", type: "apk" });
    const { findings } = match([ansible], { id: "alpine", versionId: "3.11.6" });
    const finding = findings.find((f) => f.records.includes("ALPINE-CVE-2019-14904"))!;
    expect(finding).toMatchObject({
      id: "CVE-2019-14904",
      aliases: ["ALPINE-CVE-2019-14904"],
      fixedVersion: "2.9.3-r0",
    });
    expect(finding.severity).toMatchObject({ level: "high", score: 7.5, source: "CVSS_V3" });
    expect(finding.severity.scores[0]!.record).toBe("GHSA-zzzz");
    expect(findings.some((f) => f.id === "CVE-2019-14905")).toBe(true);
    expect(
      match([pkg({ name: "ansible", version: "2.9.3-r0", type: "apk" })], {
        id: "alpine",
        versionId: "3.11",
      }).findings.filter((f) => f.id.includes("2019-1490")),
    ).toEqual([]);
  });

  it("takes the release from the purl's distro qualifier when there is no os-release", () => {
    const libcrypto = pkg({
      name: "libcrypto3",
      version: "3.1.7-r0",
      type: "apk",
      purl: "pkg:apk/alpine/libcrypto3@3.1.7-r0?arch=x86_64&distro=alpine-3.18.9&upstream=openssl",
    });
    expect(match([libcrypto]).findings.map((f) => f.id)).toEqual(["ALPINE-CVE-2024-0002"]);
    // trivy writes the bare version: distro=3.20.3 with the namespace as the id.
    const trivy = {
      ...libcrypto,
      version: "3.3.2-r0",
      purl: "pkg:apk/alpine/libcrypto3@3.3.2-r0?distro=3.20.3",
      metadata: { origin: "openssl" },
    };
    expect(match([trivy]).findings.map((f) => f.id)).toEqual(["ALPINE-CVE-2024-0003"]);
  });

  it("counts packages whose release the database has no data for", () => {
    const result = match([pkg({ name: "zlib", version: "1.2.13-r1", type: "apk" })], {
      id: "alpine",
      versionId: "3.21.0",
    });
    expect(result.findings).toEqual([]);
    expect([...result.stats.missingData]).toEqual([["Alpine:v3.21", 1]]);
    expect([...result.ecosystems]).toEqual(["Alpine"]);
  });
});

describe("language packages", () => {
  it("matches PyPI by normalised name (real PyPA records) and merges aliased records into one finding", () => {
    const aiohttp = pkg({
      name: "AioHTTP",
      version: "3.7.3",
      type: "python",
      locations: [{ path: "/usr/lib/python3/site-packages/aiohttp-3.7.3.dist-info/METADATA" }],
    });
    const { findings } = match([aiohttp]);
    const merged = findings.filter((f) => f.records.includes("PYSEC-2021-76"));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      id: "CVE-2021-21330",
      records: ["GHSA-aaaa-bbbb-cccc", "PYSEC-2021-76"],
      fixedVersion: "3.7.4",
      package: { ecosystem: "PyPI", name: "AioHTTP" },
      severity: { level: "medium", source: "GHSA" },
    });
    expect(merged[0]!.aliases).toEqual(expect.arrayContaining(["GHSA-aaaa-bbbb-cccc", "PYSEC-2021-76"]));
    // Every finding id is distinct: one finding per vulnerability per package.
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    expect(
      match([{ ...aiohttp, version: "3.7.4" }]).findings.some((f) => f.records.includes("PYSEC-2021-76")),
    ).toBe(false);
  });

  it("matches PyPA records listed only by version (apache-skywalking, PYSEC-2020-342)", () => {
    const { findings } = match([pkg({ name: "apache_skywalking", version: "1.0.0", type: "python" })]);
    expect(findings.map((f) => f.id)).toContain("CVE-2020-13921");
    expect(findings.find((f) => f.id === "CVE-2020-13921")!.severity).toMatchObject({
      level: "critical",
      score: 9.8,
    });
  });

  it("matches Maven by group:artifact, npm scoped names and Go modules (SEMVER, v prefix, stdlib)", () => {
    const packages = [
      pkg({
        name: "log4j-core",
        version: "2.14.1",
        type: "java-archive",
        metadata: { groupId: "org.apache.logging.log4j" },
      }),
      pkg({ name: "traverse", version: "7.22.0", type: "npm", purl: "pkg:npm/%40babel/traverse@7.22.0" }),
      pkg({ name: "golang.org/x/net", version: "v0.17.0", type: "go-module" }),
      pkg({ name: "stdlib", version: "go1.21.1", type: "go-module" }),
      pkg({ name: "golang.org/x/net", version: "v0.23.0", type: "go-module" }),
    ];
    const findings = match(packages).findings;
    expect(findings.map((f) => [f.package.name, f.id, f.fixedVersion])).toEqual([
      ["log4j-core", "GHSA-mvn", "2.15.0"],
      ["traverse", "GHSA-npm", "7.23.2"],
      ["golang.org/x/net", "GO-2024-0001", "0.23.0"],
      ["stdlib", "GO-2024-0001", "1.21.9"],
    ]);
  });

  it("counts packages of ecosystems drydock does not know", () => {
    const result = match([pkg({ name: "thing", version: "1", type: "binary", purl: "pkg:generic/thing@1" })]);
    expect(result.stats.unsupported).toBe(1);
  });
});

describe("lookup targets", () => {
  it("reads distro qualifiers as syft and trivy write them", () => {
    expect(distroFromQualifier("debian-12")).toEqual({ id: "debian", versionId: "12" });
    expect(distroFromQualifier("alpine-3.20.3")).toEqual({ id: "alpine", versionId: "3.20.3" });
    expect(distroFromQualifier("ubuntu-22.04")).toEqual({ id: "ubuntu", versionId: "22.04" });
    expect(distroFromQualifier("3.18.4", "alpine")).toEqual({ id: "alpine", versionId: "3.18.4" });
    expect(distroFromQualifier("rhel-9.3")).toEqual({ id: "rhel", versionId: "9.3" });
  });

  it("names releases as OSV does", () => {
    const t = (distro: DistroRelease, type = "deb", known: string[] = []) =>
      matchTarget(pkg({ name: "x", version: "1", type }), distro, known)?.ecosystems;
    expect(t({ id: "debian", versionCodename: "bookworm" })).toEqual(["Debian:12"]);
    expect(t({ id: "ubuntu", versionId: "22.04" })).toEqual(["Ubuntu:22.04:LTS"]);
    expect(t({ id: "ubuntu", versionId: "23.10" })).toEqual(["Ubuntu:23.10"]);
    expect(t({ id: "alpine", versionId: "3.20.3" }, "apk")).toEqual(["Alpine:v3.20"]);
    expect(t({ id: "rocky", versionId: "9.3" }, "rpm")).toEqual(["Rocky Linux:9"]);
    expect(
      t({ id: "rhel", versionId: "9.3" }, "rpm", [
        "Red Hat:enterprise_linux:9::appstream",
        "Red Hat:enterprise_linux:8::baseos",
      ]),
    ).toEqual(["Red Hat:enterprise_linux:9::appstream"]);
  });

  it("looks up RPMs by source RPM and binary name, with the epoch", () => {
    const target = matchTarget(
      pkg({
        name: "openssl-libs",
        version: "3.0.7-27.el9",
        type: "rpm",
        metadata: { sourceRpm: "openssl-3.0.7-27.el9.src.rpm", epoch: 1 },
      }),
      { id: "rocky", versionId: "9.3" },
      [],
    )!;
    expect(target.names).toEqual(["openssl", "openssl-libs"]);
    expect(target.version).toBe("1:3.0.7-27.el9");
    expect(sourceRpmName("glibc-2.34-100.el9_4.2.src.rpm")).toBe("glibc");
  });
});
