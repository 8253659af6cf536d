import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sbomDirectory, selectCatalogers } from "./sbom.ts";
import { sampleResult } from "./test-helpers/sample.ts";

describe("sbom/sbom", () => {
  it("reports OS packages with the layer that brought them", async () => {
    const result = await sampleResult();
    expect(result.distro).toMatchObject({ id: "debian", versionId: "12" });
    const layerOf = Object.fromEntries(result.packages.map((p) => [p.name, p.locations[0]!.layerIndex]));
    expect(layerOf).toMatchObject({ "base-files": 0, libssl3: 0, "python3-six": 1, "left-pad": 2 });
  });

  it("reports a language package an OS package installed once, under it", async () => {
    const result = await sampleResult();
    expect(result.packages.some((p) => p.type === "python")).toBe(false);
    const six = result.packages.find((p) => p.name === "python3-six")!;
    expect(six.metadata.contains).toEqual(["pkg:pypi/six@1.16.0"]);
    expect(result.relationships).toEqual([
      { parent: six.id, child: "pkg:pypi/six@1.16.0", type: "contains" },
    ]);
  });

  it("orders packages OS first, then by name", async () => {
    const result = await sampleResult();
    expect(result.packages.map((p) => `${p.type}:${p.name}`)).toEqual([
      "deb:base-files",
      "deb:libssl3",
      "deb:python3-six",
      "npm:@scope/x",
      "npm:left-pad",
      "npm:weird",
    ]);
  });

  it("selects catalogers by name or short name", () => {
    expect(selectCatalogers(["dpkg", "python-installed-package-cataloger"]).map((c) => c.name)).toEqual([
      "dpkg-db-cataloger",
      "python-installed-package-cataloger",
    ]);
    expect(() => selectCatalogers(["nope"])).toThrow(/unknown cataloger/);
  });

  describe("directories", () => {
    let dir: string;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    it("walks a root filesystem or project folder with the same catalogers", async () => {
      dir = await mkdtemp(join(tmpdir(), "drydock-sbom-"));
      await mkdir(join(dir, "etc"), { recursive: true });
      await mkdir(join(dir, "lib/apk/db"), { recursive: true });
      await mkdir(join(dir, "srv/node_modules/ms"), { recursive: true });
      await writeFile(join(dir, "etc/alpine-release"), "3.19.1\n");
      await writeFile(
        join(dir, "lib/apk/db/installed"),
        "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n\n",
      );
      await writeFile(join(dir, "srv/node_modules/ms/package.json"), '{"name":"ms","version":"2.1.3"}');
      const result = await sbomDirectory(dir);
      expect(result.source).toEqual({ type: "directory", name: dir });
      expect(result.distro).toMatchObject({ id: "alpine", versionId: "3.19.1" });
      expect(result.packages.map((p) => [p.name, p.purl, p.locations])).toEqual([
        [
          "musl",
          "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1",
          [{ path: "/lib/apk/db/installed" }],
        ],
        ["ms", "pkg:npm/ms@2.1.3", [{ path: "/srv/node_modules/ms/package.json" }]],
      ]);
    });
  });
});
