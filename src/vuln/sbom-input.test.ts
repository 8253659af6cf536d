import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSbom } from "../sbom/formats/index.ts";
import { sbomDirectory } from "../sbom/sbom.ts";
import { fixturesDir } from "../test-helpers/shared.ts";
import { matchTarget } from "./match/targets.ts";
import { readSbomDocument } from "./sbom-input.ts";
import { tempDir } from "./test-helpers/records.ts";

describe("SBOM documents written by other tools", () => {
  it("reads syft's CycloneDX (upstream qualifier, syft:location properties, the OS component)", () => {
    const doc = {
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      metadata: { component: { type: "container", name: "alpine:3.18" } },
      components: [
        {
          "bom-ref": "pkg:apk/alpine/libcrypto3@3.1.7-r0?arch=x86_64&distro=alpine-3.18.9&package-id=1",
          type: "library",
          name: "libcrypto3",
          version: "3.1.7-r0",
          purl: "pkg:apk/alpine/libcrypto3@3.1.7-r0?arch=x86_64&distro=alpine-3.18.9&upstream=openssl",
          properties: [
            { name: "syft:package:type", value: "apk" },
            { name: "syft:location:0:layerID", value: "sha256:aaa" },
            { name: "syft:location:0:path", value: "/lib/apk/db/installed" },
          ],
        },
        { type: "operating-system", name: "alpine", version: "3.18.9" },
      ],
    };
    const input = readSbomDocument(JSON.stringify(doc), "syft.cdx.json");
    expect(input).toMatchObject({
      format: "cyclonedx",
      distro: { id: "alpine", versionId: "3.18.9" },
      subject: "alpine:3.18",
    });
    expect(input.packages).toHaveLength(1);
    expect(input.packages[0]).toMatchObject({
      name: "libcrypto3",
      version: "3.1.7-r0",
      type: "apk",
      locations: [{ path: "/lib/apk/db/installed", layerDiffId: "sha256:aaa" }],
    });
    expect(matchTarget(input.packages[0]!, input.distro, [])).toMatchObject({
      ecosystems: ["Alpine:v3.18"],
      names: ["openssl"],
    });
  });

  it("reads trivy's CycloneDX (SrcName/SrcVersion/SrcRelease/SrcEpoch, FilePath)", () => {
    const doc = {
      bomFormat: "CycloneDX",
      specVersion: "1.5",
      components: [
        { "bom-ref": "os", type: "operating-system", name: "debian", version: "12.5" },
        {
          "bom-ref": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5",
          type: "library",
          name: "libc6",
          version: "2.36-9+deb12u4",
          purl: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5",
          properties: [
            { name: "aquasecurity:trivy:LayerDiffID", value: "sha256:bbb" },
            { name: "aquasecurity:trivy:PkgType", value: "debian" },
            { name: "aquasecurity:trivy:SrcName", value: "glibc" },
            { name: "aquasecurity:trivy:SrcRelease", value: "9+deb12u4" },
            { name: "aquasecurity:trivy:SrcVersion", value: "2.36" },
          ],
        },
        {
          "bom-ref": "py",
          type: "library",
          name: "Django",
          version: "4.2.0",
          purl: "pkg:pypi/django@4.2.0",
          properties: [
            {
              name: "aquasecurity:trivy:FilePath",
              value: "usr/lib/python3/site-packages/Django-4.2.0.dist-info/METADATA",
            },
          ],
        },
      ],
    };
    const input = readSbomDocument(JSON.stringify(doc), "trivy.cdx.json");
    expect(input.distro).toEqual({ id: "debian", versionId: "12.5" });
    const [libc, django] = input.packages;
    expect(libc).toMatchObject({
      type: "deb",
      metadata: { source: "glibc", sourceVersion: "2.36-9+deb12u4" },
      locations: [{ path: "", layerDiffId: "sha256:bbb" }],
    });
    expect(matchTarget(libc!, input.distro, [])).toMatchObject({
      ecosystems: ["Debian:12"],
      names: ["glibc"],
      version: "2.36-9+deb12u4",
    });
    expect(django).toMatchObject({
      type: "python",
      locations: [{ path: "/usr/lib/python3/site-packages/Django-4.2.0.dist-info/METADATA" }],
    });
  });

  it("reads SPDX JSON: PACKAGE-MANAGER purls, the OPERATING-SYSTEM package, trivy's sourceInfo", () => {
    const doc = {
      spdxVersion: "SPDX-2.3",
      name: "debian:12",
      packages: [
        {
          SPDXID: "SPDXRef-OS",
          name: "debian",
          versionInfo: "12.5",
          primaryPackagePurpose: "OPERATING-SYSTEM",
        },
        {
          SPDXID: "SPDXRef-libc6",
          name: "libc6",
          versionInfo: "2.36-9+deb12u4",
          sourceInfo: "built package from: glibc 2.36-9+deb12u4",
          externalRefs: [
            {
              referenceCategory: "PACKAGE-MANAGER",
              referenceType: "purl",
              referenceLocator: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5",
            },
          ],
        },
        { SPDXID: "SPDXRef-nopurl", name: "thing", versionInfo: "1" },
        {
          SPDXID: "SPDXRef-npm",
          name: "lodash",
          versionInfo: "4.17.20",
          externalRefs: [
            {
              referenceCategory: "PACKAGE_MANAGER",
              referenceType: "purl",
              referenceLocator: "pkg:npm/lodash@4.17.20",
            },
          ],
        },
      ],
    };
    const input = readSbomDocument(JSON.stringify(doc), "x.spdx.json");
    expect(input.format).toBe("spdx");
    expect(input.distro).toEqual({ id: "debian", versionId: "12.5" });
    expect(input.packages.map((p) => [p.name, p.type, p.metadata.source])).toEqual([
      ["libc6", "deb", "glibc"],
      ["lodash", "npm", undefined],
    ]);
  });

  it("reads syft JSON", () => {
    const doc = {
      artifacts: [
        {
          id: "a1",
          name: "libssl3",
          version: "3.0.11-1~deb12u2",
          type: "deb",
          purl: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12",
          locations: [{ path: "/var/lib/dpkg/status", layerID: "sha256:ccc" }],
          metadata: { package: "libssl3", source: "openssl", version: "3.0.11-1~deb12u2" },
        },
      ],
      distro: { id: "debian", versionID: "12" },
      source: { name: "debian:12" },
    };
    const input = readSbomDocument(JSON.stringify(doc), "syft.json");
    expect(input).toMatchObject({
      format: "syft",
      distro: { id: "debian", versionId: "12" },
      subject: "debian:12",
    });
    expect(input.packages[0]).toMatchObject({
      id: "a1",
      type: "deb",
      metadata: { source: "openssl" },
      locations: [{ path: "/var/lib/dpkg/status", layerDiffId: "sha256:ccc" }],
    });
  });

  it("rejects what is not an SBOM", () => {
    expect(() => readSbomDocument("nope", "x")).toThrow(/^x: not a JSON SBOM/);
    expect(() => readSbomDocument('{"a":1}', "x")).toThrow(
      "x: not a CycloneDX, SPDX, syft or drydock JSON SBOM",
    );
  });
});

describe("SBOMs that drydock writes", () => {
  let root: string;
  let cleanup: () => void;

  beforeAll(() => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    root = join(temp.dir, "rootfs");
    mkdirSync(root);
    execFileSync("tar", [
      "-xzf",
      join(fixturesDir(), "alpine", "alpine-minirootfs-3.18.9-x86_64.tar.gz"),
      "-C",
      root,
    ]);
  });
  afterAll(() => cleanup());

  it.each(["cyclonedx-json", "spdx-json", "json"] as const)(
    "reads back %s with the distro and the apk origins",
    async (format) => {
      const result = await sbomDirectory(root);
      const text = renderSbom(result, format, { timestamp: new Date(0), toolVersion: "0.0.0" });
      const input = readSbomDocument(text, `bom.${format}`);
      expect(input.packages.length).toBe(result.packages.length);
      const libcrypto = input.packages.find((p) => p.name === "libcrypto3")!;
      const target = matchTarget(libcrypto, input.distro, [])!;
      expect(target).toMatchObject({ ecosystems: ["Alpine:v3.18"], names: ["openssl"], version: "3.1.7-r0" });
    },
  );
});
