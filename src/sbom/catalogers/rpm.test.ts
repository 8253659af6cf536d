import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectRpmDbFormat } from "../rpm/databases.ts";
import { catalogFiles } from "../test-kit.ts";
import { cataloger, readRpmPackages } from "./rpm.ts";

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/rpm/${name}`, import.meta.url));

describe("sbom/catalogers/rpm", () => {
  for (const [file, format] of [
    ["rpmdb.sqlite", "sqlite"],
    ["Packages", "bdb"],
    ["Packages.db", "ndb"],
  ] as const) {
    it(`reads the ${format} backend (${file})`, () => {
      const content = fixture(file);
      expect(detectRpmDbFormat(content)).toBe(format);
      const headers = readRpmPackages(content).sort((a, b) => a.name.localeCompare(b.name));
      expect(headers.map((h) => [h.name, h.epoch, h.version, h.release, h.arch, h.license])).toEqual([
        ["hello", 1, "2.12.1", "3", "x86_64", "GPL-3.0-or-later"],
        ["libdemo", 0, "1.0", "7", "x86_64", "MIT AND BSD-3-Clause"],
        ["manyfiles", undefined, "3", "1", "noarch", "MIT"],
      ]);
      // 300 files make a header larger than a BerkeleyDB page: a chain of overflow pages.
      expect(headers[2]!.files).toHaveLength(301);
      expect(headers[2]!.files).toContain("/usr/share/manyfiles/file-with-a-long-name-300");
      expect(headers[0]!.files).toEqual(["/usr/bin/hello"]);
      expect(headers[0]!.sourceRpm).toBe("hello-2.12.1-3.src.rpm");
    });
  }

  it("catalogs with syft's purl and the epoch in the version", async () => {
    const packages = await catalogFiles(cataloger, {
      "/etc/os-release": 'ID="rhel"\nVERSION_ID="9.3"\n',
      "/var/lib/rpm/rpmdb.sqlite": fixture("rpmdb.sqlite"),
    });
    const hello = packages.find((p) => p.name === "hello")!;
    expect(hello.version).toBe("1:2.12.1-3");
    expect(hello.purl).toBe(
      "pkg:rpm/rhel/hello@2.12.1-3?arch=x86_64&distro=rhel-9.3&epoch=1&upstream=hello-2.12.1-3.src.rpm",
    );
    expect(hello.ownedFiles).toEqual(["/usr/bin/hello"]);
    expect(packages.find((p) => p.name === "libdemo")!.version).toBe("1.0-7");
  });

  it("reports a corrupt database as no packages, not a crash", async () => {
    const packages = await catalogFiles(cataloger, { "/var/lib/rpm/Packages": Buffer.from("garbage") });
    expect(packages).toEqual([]);
  });
});
