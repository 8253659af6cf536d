import { describe, expect, it } from "vitest";
import { catalogFiles, catalogLayers } from "../test-kit.ts";
import { cataloger, parseCopyrightLicenses, parseDpkgStatus } from "./dpkg.ts";

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const CURL = `Package: curl
Status: install ok installed
Priority: optional
Installed-Size: 500
Maintainer: Alessandro Ghedini <ghedo@debian.org>
Architecture: amd64
Version: 7.88.1-10+deb12u5
Depends: libc6 (>= 2.34),
 libcurl4 (= 7.88.1-10+deb12u5)
Description: command line tool for transferring data with URL syntax
 curl is a command line tool.
`;
const LIBSSL = `Package: libssl3
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.13-1~deb12u1
`;
const REMOVED = `Package: oldpkg
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0
`;
const COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: curl

Files: *
Copyright: 1996 - 2023, Daniel Stenberg
License: curl

Files: debian/*
License: MIT or GPL-2+
 text of the licence
`;

describe("sbom/catalogers/dpkg", () => {
  it("parses installed stanzas only, with source package and version", () => {
    const entries = parseDpkgStatus(`${CURL}\n${LIBSSL}\n${REMOVED}`);
    expect(entries.map((e) => e.name)).toEqual(["curl", "libssl3"]);
    expect(entries[1]).toMatchObject({ source: "openssl", sourceVersion: "3.0.11-1~deb12u2" });
    expect(entries[0]!.installedSize).toBe(500);
  });

  it("reads licences from machine-readable copyright files only", () => {
    expect(parseCopyrightLicenses(COPYRIGHT)).toEqual(["curl", "MIT or GPL-2+"]);
    expect(parseCopyrightLicenses("This is free software.\nLicense: GPL\n")).toEqual([]);
  });

  it("builds syft's purl, licences and owned files", async () => {
    const packages = await catalogFiles(cataloger, {
      "/etc/os-release": OS_RELEASE,
      "/var/lib/dpkg/status": `${CURL}\n${LIBSSL}`,
      "/var/lib/dpkg/info/curl.list": "/.\n/usr\n/usr/bin/curl\n",
      "/var/lib/dpkg/info/libssl3:amd64.list": "/usr/lib/x86_64-linux-gnu/libssl.so.3\n",
      "/usr/share/doc/curl/copyright": COPYRIGHT,
    });
    const curl = packages.find((p) => p.name === "curl")!;
    expect(curl.purl).toBe("pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12");
    expect(curl.licenses).toEqual(["MIT OR GPL-2.0-or-later", "curl"]);
    expect(curl.ownedFiles).toEqual(["/.", "/usr", "/usr/bin/curl"]);
    const ssl = packages.find((p) => p.name === "libssl3")!;
    expect(ssl.purl).toBe(
      "pkg:deb/debian/libssl3@3.0.13-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl%403.0.11-1~deb12u2",
    );
    expect(ssl.ownedFiles).toEqual(["/usr/lib/x86_64-linux-gnu/libssl.so.3"]);
  });

  it("reads distroless status.d with md5sums as owned files", async () => {
    const packages = await catalogFiles(cataloger, {
      "/etc/os-release": 'PRETTY_NAME="Distroless"\nID=debian\nVERSION_ID="12"\n',
      "/var/lib/dpkg/status.d/base-files":
        "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n",
      "/var/lib/dpkg/status.d/base-files.md5sums": "0123456789abcdef0123456789abcdef  etc/debian_version\n",
    });
    expect(packages.map((p) => [p.name, p.version, p.ownedFiles])).toEqual([
      ["base-files", "12.4+deb12u5", ["/etc/debian_version"]],
    ]);
  });

  it("attributes each package to the layer that installed it", async () => {
    const packages = await catalogLayers(cataloger, [
      { "/etc/os-release": OS_RELEASE, "/var/lib/dpkg/status": CURL },
      { "/var/lib/dpkg/status": `${CURL}\n${LIBSSL}` },
      { "/var/lib/dpkg/status": `${LIBSSL}` },
    ]);
    expect(packages.map((p) => [p.name, p.locations[0]!.layerIndex])).toEqual([["libssl3", 1]]);
  });

  it("lists removed packages too in all-layers scope", async () => {
    const packages = await catalogLayers(
      cataloger,
      [{ "/etc/os-release": OS_RELEASE, "/var/lib/dpkg/status": CURL }, { "/var/lib/dpkg/status": LIBSSL }],
      "all-layers",
    );
    expect(packages.map((p) => [p.name, p.locations[0]!.layerIndex])).toEqual([
      ["curl", 0],
      ["libssl3", 1],
    ]);
  });
});
