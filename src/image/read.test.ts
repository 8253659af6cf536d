import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DrydockError } from "../errors.ts";
import type { CaptureRule, LayerIndex } from "./layer-index.ts";
import { openImage } from "./open.ts";
import type { LayerData } from "./read.ts";
import { archiveMembers, buildArchive, type LayerCompression, makeConfig } from "./test-helpers/archives.ts";
import { makeTar } from "./test-helpers/tar.ts";

const dir = mkdtempSync(join(tmpdir(), "drydock-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

async function sampleImage() {
  const layers = [
    await makeTar([
      { name: "etc/", type: "directory" },
      { name: "etc/os-release", content: "ID=test\n" },
      { name: "usr/bin/tool", content: Buffer.alloc(300_000, 7), mode: 0o755 },
      { name: "usr/share/big.dat", content: Buffer.alloc(2_000_000, 1) },
      { name: "bin/sh", type: "symlink", linkname: "/usr/bin/tool" },
    ]),
    await makeTar([
      { name: "etc/.wh.os-release", content: "" },
      { name: "var/lib/dpkg/status", content: "Package: x\n" },
      { name: `opt/${"long-name/".repeat(12)}f`, content: "y" },
    ]),
  ];
  return { config: makeConfig(layers), layers, repoTags: ["sample:1"] };
}

/** Captures both ways a rule can: whole content, and a streaming extract function. */
const capture: CaptureRule[] = [
  { matches: (p) => p === "/etc/os-release" || p === "/var/lib/dpkg/status", maxBytes: 1024 },
  {
    matches: (_p, entry) => entry !== undefined && (entry.mode & 0o111) !== 0,
    maxBytes: 1 << 20,
    extract: async (_path, content) => {
      let bytes = 0;
      for await (const chunk of content) bytes += (chunk as Buffer).length;
      return { bytes };
    },
  },
];

const summary = (index: LayerIndex) => ({
  entries: [...index.entries()],
  whiteouts: index.whiteouts,
  captured: Object.fromEntries([...index.captured].map(([p, b]) => [p, b.toString()])),
  extracted: Object.fromEntries(index.extracted),
});

async function read(source: string, verifyLocalLayers = false): Promise<LayerData[]> {
  const handle = await openImage(source);
  return handle.readLayers({ capture, verifyLocalLayers });
}

async function layoutDir(compression: LayerCompression): Promise<string> {
  const root = join(dir, `layout-${counter++}`);
  for (const m of archiveMembers("oci", [await sampleImage()], { layerCompression: compression })) {
    const path = join(root, m.name);
    if (m.type === "directory") mkdirSync(path, { recursive: true });
    else if (m.type === "file") {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, m.data ?? Buffer.alloc(0));
    }
  }
  return root;
}

describe("readLayers: uncompressed layers in local files are indexed by seeking", () => {
  it("gives the same index, captures and extracts as streaming every byte", async () => {
    const path = join(dir, `legacy-${counter++}.tar`);
    writeFileSync(path, await buildArchive("legacy", [await sampleImage()]));
    const seeking = await read(`docker-archive:${path}`);
    const streaming = await read(`docker-archive:${path}`, true);
    expect(seeking.map((l) => l.compression)).toEqual(["none", "none"]);
    expect(seeking.map((l) => summary(l.index))).toEqual(streaming.map((l) => summary(l.index)));
    expect(seeking.map((l) => l.uncompressedSize)).toEqual(streaming.map((l) => l.uncompressedSize));
    expect(summary(seeking[0]!.index).extracted).toEqual({ "/usr/bin/tool": { bytes: 300_000 } });
    expect(summary(seeking[1]!.index).captured).toEqual({ "/var/lib/dpkg/status": "Package: x\n" });
  });

  it("does the same in an OCI layout directory; compressed layers are still streamed", async () => {
    const plain = await read(`oci:${await layoutDir("none")}`);
    const gzip = await read(`oci:${await layoutDir("gzip")}`);
    expect(plain.map((l) => l.compression)).toEqual(["none", "none"]);
    expect(gzip.map((l) => l.compression)).toEqual(["gzip", "gzip"]);
    expect(plain.map((l) => summary(l.index))).toEqual(gzip.map((l) => summary(l.index)));
  });

  it("checks layer digests only when asked to read every byte", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    // Flip one byte of big.dat's content: headers stay valid, the layer's digest does not.
    const at = archive.indexOf(Buffer.alloc(64, 1));
    archive[at + 10] = 2;
    const path = join(dir, `tampered-${counter++}.tar`);
    writeFileSync(path, archive);
    await expect(read(`docker-archive:${path}`)).resolves.toHaveLength(2);
    const error = await read(`docker-archive:${path}`, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
  });

  it("fails cleanly on a layer cut short inside its archive", async () => {
    const image = await sampleImage();
    image.layers[0] = image.layers[0]!.subarray(0, 5000);
    image.config = makeConfig(image.layers);
    const path = join(dir, `short-${counter++}.tar`);
    writeFileSync(path, await buildArchive("legacy", [image]));
    const error = await read(`docker-archive:${path}`).catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe("CORRUPT_LAYER");
    expect((error as Error).message).toMatch(/truncated/);
  });
});
