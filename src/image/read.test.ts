import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DrydockError } from "../errors.ts";
import type { CaptureRule, LayerIndex } from "./layer-index.ts";
import { openImage } from "./open.ts";
import { defaultProviders } from "./providers.ts";
import type { LayerData } from "./read.ts";
import {
  type ArchiveImage,
  archiveMembers,
  buildArchive,
  type LayerCompression,
  makeConfig,
} from "./test-helpers/archives.ts";
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

async function layoutDir(compression: LayerCompression, image?: ArchiveImage): Promise<string> {
  const root = join(dir, `layout-${counter++}`);
  for (const m of archiveMembers("oci", [image ?? (await sampleImage())], {
    layerCompression: compression,
  })) {
    const path = join(root, m.name);
    if (m.type === "directory") mkdirSync(path, { recursive: true });
    else if (m.type === "file") {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, m.data ?? Buffer.alloc(0));
    }
  }
  return root;
}

describe("readLayers: layers in local files are read from the file, verified on request", () => {
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

  it("checks layer digests only when asked to read every byte, and says which it checked", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    // Flip one byte of big.dat's content: headers stay valid, the layer's diffID does not.
    const at = archive.indexOf(Buffer.alloc(64, 1));
    archive[at + 10] = 2;
    const path = join(dir, `tampered-${counter++}.tar`);
    writeFileSync(path, archive);
    const seeking = await read(`docker-archive:${path}`);
    expect(seeking.map((l) => l.digestVerified)).toEqual([false, false]);
    const error = await read(`docker-archive:${path}`, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
    expect((error as Error).message).toMatch(/layer\.tar: content does not match its digest/);
    expect((error as Error).message).not.toMatch(/\n/);
  });

  it("verifies every layer when opened with verifyLocalLayers (the --verify-digests flag)", async () => {
    const image = await sampleImage();
    const path = join(dir, `legacy-${counter++}.tar`);
    writeFileSync(path, await buildArchive("legacy", [image]));
    const byOption = await (
      await openImage(`docker-archive:${path}`, { verifyLocalLayers: true })
    ).readLayers();
    expect(byOption.map((l) => l.digestVerified)).toEqual([true, true]);
    const providers = defaultProviders({ verifyLocalLayers: true });
    const byProviders = await (await openImage(`docker-archive:${path}`, { providers })).readLayers();
    expect(byProviders.map((l) => l.digestVerified)).toEqual([true, true]);
    // A read option still wins over the default chosen when opening.
    const handle = await openImage(`docker-archive:${path}`, { verifyLocalLayers: true });
    expect((await handle.readLayers({ verifyLocalLayers: false })).map((l) => l.digestVerified)).toEqual([
      false,
      false,
    ]);
    const tampered = image.layers[1]!.toString("latin1").replace("Package: x", "Package: y");
    const lying = { ...image, layers: [image.layers[0]!, Buffer.from(tampered, "latin1")] };
    const bad = join(dir, `lying-${counter++}.tar`);
    // The config keeps the diffIDs of the original layers.
    writeFileSync(bad, await buildArchive("legacy", [{ ...lying, config: image.config }]));
    const error = await (await openImage(`docker-archive:${bad}`, { providers }))
      .readLayers()
      .catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
  });

  it("reads compressed local layers unverified unless asked; a damaged gzip blob is still an error", async () => {
    const root = await layoutDir("gzip");
    const good = await read(`oci:${root}`);
    expect(good.map((l) => l.digestVerified)).toEqual([false, false]);
    expect((await read(`oci:${root}`, true)).map((l) => l.digestVerified)).toEqual([true, true]);
    const blobs = join(root, "blobs/sha256");
    const layerDigest = good[0]!.ref.descriptor.digest.slice("sha256:".length);
    const blob = readFileSync(join(blobs, layerDigest));
    // Damaged deflate data, early, in the middle, or the CRC: zlib may notice first, or the CRC
    // does; either way the layer is read again and its digest is the error reported.
    for (const at of [12, Math.floor(blob.length / 2), blob.length - 5]) {
      const damaged = Buffer.from(blob);
      damaged[at] = damaged[at]! ^ 0xff;
      writeFileSync(join(blobs, layerDigest), damaged);
      for (const verify of [false, true]) {
        const error = await read(`oci:${root}`, verify).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DrydockError);
        expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
        expect((error as Error).message).toMatch(/content does not match its digest/);
      }
    }
  });

  it("reads zstd layers in a layout and inside an oci-archive tar, verified only when asked", async () => {
    const image = await sampleImage();
    const plain = await read(`oci:${await layoutDir("none", image)}`);
    const layout = await layoutDir("zstd", image);
    const archive = join(dir, `oci-zstd-${counter++}.tar`);
    writeFileSync(archive, await buildArchive("oci", [image], { layerCompression: "zstd" }));
    for (const source of [`oci:${layout}`, `oci-archive:${archive}`]) {
      for (const verify of [false, true]) {
        const layers = await read(source, verify);
        expect(layers.map((l) => l.compression)).toEqual(["zstd", "zstd"]);
        expect(layers.map((l) => l.digestVerified)).toEqual([verify, verify]);
        expect(layers.map((l) => summary(l.index))).toEqual(plain.map((l) => summary(l.index)));
        expect(layers.map((l) => l.uncompressedSize)).toEqual(plain.map((l) => l.uncompressedSize));
        expect(layers.map((l) => l.compressedSize)).toEqual(layers.map((l) => l.ref.descriptor.size));
      }
    }
  });

  it("indexes zstd layers nobody captures from, from the tar's skeleton the worker sends", async () => {
    const image = await sampleImage();
    const plain = await read(`oci:${await layoutDir("none", image)}`);
    const layout = await layoutDir("zstd", image);
    for (const verify of [false, true]) {
      const handle = await openImage(`oci:${layout}`);
      const layers = await handle.readLayers({ verifyLocalLayers: verify });
      const headers = (index: LayerIndex) => ({ entries: [...index.entries()], whiteouts: index.whiteouts });
      expect(layers.map((l) => headers(l.index))).toEqual(plain.map((l) => headers(l.index)));
      expect(layers.map((l) => l.uncompressedSize)).toEqual(plain.map((l) => l.uncompressedSize));
      expect(layers.map((l) => l.digestVerified)).toEqual([verify, verify]);
    }
    // A tar cut in a file's data, in a complete zstd frame: the skeleton ends short of the data.
    image.layers[0] = image.layers[0]!.subarray(0, 5000);
    image.config = makeConfig(image.layers);
    const cut = await layoutDir("zstd", image);
    const error = await (await openImage(`oci:${cut}`)).readLayers({}).catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe("CORRUPT_LAYER");
    expect((error as Error).message).toMatch(/layer 1 .*truncated/);
  });

  it("reports a damaged zstd blob as its digest mismatch, whether the check was asked or not", async () => {
    const root = await layoutDir("zstd");
    const [first] = await read(`oci:${root}`);
    const path = join(root, "blobs/sha256", first!.ref.descriptor.digest.slice("sha256:".length));
    const blob = readFileSync(path);
    // A damaged frame header: the decoder fails, the re-read finds the digest wrong.
    const header = Buffer.from(blob);
    header[4] = 0xff;
    writeFileSync(path, header);
    for (const verify of [false, true]) {
      const error = await read(`oci:${root}`, verify).catch((e: unknown) => e);
      expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
    }
    // A frame cut short inside the file: the same.
    writeFileSync(path, blob.subarray(0, blob.length - 10));
    const cut = await read(`oci:${root}`).catch((e: unknown) => e);
    expect((cut as DrydockError).code).toBe("DIGEST_MISMATCH");
  });

  it("catches damage the zstd decoder cannot see only when asked (frames without a checksum)", async () => {
    // After incompressible data, the file sits in a raw block: its bytes appear as they are.
    const layer = await makeTar([
      { name: "noise", content: randomBytes(200_000) },
      { name: "etc/os-release", content: "ID=test\n" },
    ]);
    const root = await layoutDir("zstd", { config: makeConfig([layer]), layers: [layer], repoTags: ["q:1"] });
    const [only] = await read(`oci:${root}`);
    const path = join(root, "blobs/sha256", only!.ref.descriptor.digest.slice("sha256:".length));
    const quiet = readFileSync(path);
    const at = quiet.indexOf(Buffer.from("ID=test"));
    expect(at).toBeGreaterThan(0);
    quiet[at + 3] = "b".charCodeAt(0);
    writeFileSync(path, quiet);
    const [unchecked] = await read(`oci:${root}`);
    expect(unchecked!.index.captured.get("/etc/os-release")?.toString()).toBe("ID=best\n");
    expect(unchecked!.digestVerified).toBe(false);
    const error = await read(`oci:${root}`, true).catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
    expect((error as Error).message).toMatch(/layer 1 \(sha256:\w+\): content does not match its digest/);
  });

  it("reports the digest, not zlib's complaint, when a large blob fails to decompress early", async () => {
    // Incompressible content: the blob is read in several pieces, and zlib fails on the first.
    const layer = await makeTar([{ name: "noise", content: randomBytes(3 << 20) }]);
    const image = { config: makeConfig([layer]), layers: [layer], repoTags: ["noise:1"] };
    const root = await layoutDir("gzip", image);
    const [only] = await read(`oci:${root}`);
    const path = join(root, "blobs/sha256", only!.ref.descriptor.digest.slice("sha256:".length));
    const damaged = readFileSync(path);
    damaged.fill(0xff, 10, 30); // the first deflate block header and more
    writeFileSync(path, damaged);
    const error = await read(`oci:${root}`).catch((e: unknown) => e);
    expect((error as DrydockError).code).toBe("DIGEST_MISMATCH");
    expect((error as Error).message).toMatch(/^\S+: blob sha256:\w+: content does not match its digest/);
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
