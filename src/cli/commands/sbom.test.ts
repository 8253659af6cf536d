/**
 * `drydock sbom` through the CLI: a docker-archive built in memory (Alpine-style apk database
 * installed in layer 2, an npm package in layer 3), output formats and files, determinism with
 * SOURCE_DATE_EPOCH, directories, and usage errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildArchive, makeConfig } from "../../image/test-helpers/archives.ts";
import { makeTar } from "../../image/test-helpers/tar.ts";
import { runCli } from "../test-helpers/run-cli.ts";
import { documentTime, parseOutputSpec } from "./sbom.ts";

let dir: string;
let archive: string;

const drydock = (argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, { cwd: dir, env: { HOME: dir, ...env } });

const APK = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:libc.musl-x86_64.so.1\n\n";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "drydock-sbom-cli-"));
  const layers = [
    await makeTar([{ name: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.19.1\n" }]),
    await makeTar([{ name: "lib/apk/db/installed", content: APK }]),
    await makeTar([
      {
        name: "app/node_modules/ms/package.json",
        content: '{"name":"ms","version":"2.1.3","license":"MIT"}',
      },
    ]),
  ];
  const config = makeConfig(layers, { history: ["ADD rootfs", "RUN apk add musl", "COPY app /app"] });
  archive = join(dir, "app.tar");
  writeFileSync(archive, await buildArchive("legacy", [{ config, layers, repoTags: ["app:1"] }]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("drydock sbom", () => {
  it("prints a table by default, with the layer of each package", async () => {
    const { code, stdout, stderr } = await drydock(["sbom", `docker-archive:${archive}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(1, 4)).toEqual([
      "NAME  VERSION   TYPE  LAYER",
      "musl  1.2.4-r2  apk   2",
      "ms    2.1.3     npm   3",
    ]);
  });

  it("writes several formats, files and stdout, byte-identical with SOURCE_DATE_EPOCH", async () => {
    const args = [
      "sbom",
      archive,
      "-o",
      "cyclonedx-json=bom.cdx.json",
      "-o",
      "spdx-json=bom.spdx.json",
      "-o",
      "json",
    ];
    const first = await drydock(args, { SOURCE_DATE_EPOCH: "1700000000" });
    expect(first.code).toBe(0);
    const cdx = readFileSync(join(dir, "bom.cdx.json"), "utf8");
    const spdx = readFileSync(join(dir, "bom.spdx.json"), "utf8");
    const second = await drydock(args, { SOURCE_DATE_EPOCH: "1700000000" });
    expect(readFileSync(join(dir, "bom.cdx.json"), "utf8")).toBe(cdx);
    expect(readFileSync(join(dir, "bom.spdx.json"), "utf8")).toBe(spdx);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(cdx).metadata.timestamp).toBe("2023-11-14T22:13:20Z");
    const json = JSON.parse(first.stdout);
    expect(json.packages.map((p: { purl: string }) => p.purl)).toEqual([
      "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1",
      "pkg:npm/ms@2.1.3",
    ]);
    expect(json.source.layers).toHaveLength(3);
  });

  it("lists packages removed in a later layer with --scope all-layers", async () => {
    const layers = [
      await makeTar([
        { name: "app/node_modules/ms/package.json", content: '{"name":"ms","version":"2.1.3"}' },
      ]),
      await makeTar([{ name: "app/node_modules/.wh.ms", content: "" }]),
    ];
    const path = join(dir, "removed.tar");
    writeFileSync(
      path,
      await buildArchive("docker25", [{ config: makeConfig(layers), layers, repoTags: ["r:1"] }]),
    );
    expect((await drydock(["sbom", path])).stdout).toBe("No packages found.\n");
    expect((await drydock(["sbom", path, "--scope", "all-layers"])).stdout).toContain(
      "ms    2.1.3    npm   1",
    );
  });

  it("catalogs a directory", async () => {
    mkdirSync(join(dir, "proj/node_modules/ms"), { recursive: true });
    writeFileSync(join(dir, "proj/node_modules/ms/package.json"), '{"name":"ms","version":"2.1.3"}');
    const { code, stdout } = await drydock(["sbom", "proj", "-o", "json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).source).toEqual({ type: "directory", name: "proj" });
  });

  it("rejects unknown formats and two outputs on stdout", async () => {
    expect(() => parseOutputSpec("xml")).toThrow(/unknown SBOM format "xml"/);
    expect(parseOutputSpec("cyclonedx-json@1.5=x.json")).toEqual({
      format: "cyclonedx-json@1.5",
      file: "x.json",
    });
    const two = await drydock(["sbom", archive, "-o", "json", "-o", "table"]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("only one -o FORMAT can go to stdout");
    expect(() => documentTime({ SOURCE_DATE_EPOCH: "soon" })).toThrow(/SOURCE_DATE_EPOCH/);
  });
});
