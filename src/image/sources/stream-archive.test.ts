import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { compress as zstdCompress } from "zstd-napi";
import { DrydockError } from "../../errors.ts";
import { mergeLayers } from "../merge.ts";
import { type LayerData, readLayers } from "../read.ts";
import {
  type ArchiveImage,
  type ArchiveMember,
  type ArchiveShape,
  archiveMembers,
  buildArchive,
  makeConfig,
  packMembers,
  sha256,
} from "../test-helpers/archives.ts";
import { makeTar, streamOf } from "../test-helpers/tar.ts";
import type { Platform } from "../types.ts";
import { resolveFromStore } from "./archive.ts";
import { TarFileStore } from "./store.ts";
import {
  compressedArchiveHandle,
  type StreamArchiveOptions,
  scanArchive,
  streamArchiveHandle,
} from "./stream-archive.ts";

const host: Platform = { os: "linux", architecture: "amd64" };
const dir = mkdtempSync(join(tmpdir(), "drydock-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
function tempFile(data: Buffer, suffix = ".tar"): string {
  const path = join(dir, `archive-${fileCounter++}${suffix}`);
  writeFileSync(path, data);
  return path;
}

/** Three layers: a base, a deletion (.wh.), an opaque directory replacement (.wh..wh..opq). */
async function sampleLayers(): Promise<Buffer[]> {
  return [
    await makeTar([
      { name: "etc/", type: "directory" },
      { name: "etc/os-release", content: "ID=test\n" },
      { name: "bin/", type: "directory" },
      { name: "bin/sh", content: "#!sh", mode: 0o755 },
      { name: "usr/bin/which", content: "which" },
      { name: "dir/", type: "directory" },
      { name: "dir/sub/", type: "directory" },
      { name: "dir/sub/old", content: "old" },
      { name: "to-delete", content: "x" },
    ]),
    await makeTar([
      { name: ".wh.to-delete", content: "" },
      { name: "app/", type: "directory" },
      { name: "app/a", content: "a" },
      { name: "app/link", type: "symlink", linkname: "a" },
    ]),
    await makeTar([
      { name: "dir/", type: "directory" },
      { name: "dir/.wh..wh..opq", content: "" },
      { name: "dir/new", content: "" },
    ]),
  ];
}

async function sampleImage(repoTags = ["example/app:1"], platform?: Platform): Promise<ArchiveImage> {
  const layers = await sampleLayers();
  const config = makeConfig(layers, {
    architecture: platform?.architecture,
    variant: platform?.variant,
    history: ["ADD rootfs", "RUN rm /to-delete", "RUN rm -rf /dir && mkdir /dir"],
    emptyHistory: ['CMD ["/bin/sh"]'],
  });
  return { config, layers, repoTags, platform };
}

function options(label: string, extra: Partial<StreamArchiveOptions> = {}): StreamArchiveOptions {
  return { label, kind: "docker-archive", hostPlatform: host, ...extra };
}

/** What a reader learned about each layer: its files, whiteouts and opaque directories. */
function layerSummary(layers: LayerData[]) {
  return layers.map((l) => ({
    diffId: l.ref.diffId,
    digest: l.ref.descriptor.digest,
    files: [...l.index.entries()],
    whiteouts: [...l.index.whiteouts],
    opaque: [...l.index.opaqueDirs],
    compression: l.compression,
    uncompressedSize: l.uncompressedSize,
  }));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<DrydockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DrydockError);
  expect((error as DrydockError).code).toBe(code);
  expect((error as DrydockError).message).not.toContain("\n");
  return error as DrydockError;
}

const SHAPES: {
  shape: ArchiveShape;
  kind: string;
  compression: "none" | "gzip" | "zstd";
  layerCompression?: "gzip" | "zstd" | "none";
}[] = [
  { shape: "legacy", kind: "docker-archive", compression: "none" },
  { shape: "docker25", kind: "docker-archive", compression: "none" },
  { shape: "containerd", kind: "docker-archive", compression: "gzip" },
  { shape: "oci", kind: "oci-archive", compression: "gzip", layerCompression: "gzip" },
  { shape: "oci", kind: "oci-archive", compression: "zstd", layerCompression: "zstd" },
  { shape: "oci", kind: "oci-archive", compression: "none", layerCompression: "none" },
];

describe("scanArchive: every archive shape, compared with the random-access reader", () => {
  for (const { shape, kind, compression, layerCompression } of SHAPES) {
    it(`${shape}${layerCompression ? ` (${layerCompression} layers)` : ""}`, async () => {
      const image = await sampleImage();
      const archive = await buildArchive(shape, [image], { layerCompression });
      const path = tempFile(archive);
      const scan = await scanArchive(streamOf(archive), options(path, { kind }));
      const { resolved } = scan;
      expect(resolved.configDigest).toBe(sha256(image.config));
      expect(resolved.config.rootfs.diff_ids).toEqual(image.layers.map(sha256));
      expect(resolved.layers.map((l) => l.diffId)).toEqual(image.layers.map(sha256));
      expect(resolved.layers.map((l) => l.history?.created_by)).toEqual([
        "ADD rootfs",
        "RUN rm /to-delete",
        "RUN rm -rf /dir && mkdir /dir",
      ]);
      const layers = await scan.layers();
      expect(layers.map((l) => l.compression)).toEqual(image.layers.map(() => compression));
      expect(layers.map((l) => l.uncompressedSize)).toEqual(image.layers.map((l) => l.length));

      // The same archive through the random-access path must give the very same answers.
      const store = await TarFileStore.open(path);
      const random = await resolveFromStore(store, kind, { hostPlatform: host });
      expect(resolved).toEqual(random.resolved);
      const randomLayers = await readLayers(random.resolved, random.blobs);
      expect(layerSummary(layers)).toEqual(layerSummary(randomLayers));

      const merged = [...mergeLayers(layers.map((l) => l.index)).entries()].map((e) => e.path);
      expect(merged).toEqual([
        "/app",
        "/app/a",
        "/app/link",
        "/bin",
        "/bin/sh",
        "/dir",
        "/dir/new",
        "/etc",
        "/etc/os-release",
        "/usr/bin/which",
      ]);
      expect(layers[1]!.index.whiteouts).toEqual(["/to-delete"]);
      expect(layers[2]!.index.opaqueDirs).toEqual(["/dir"]);
    });
  }

  it("reads the metadata whichever order the members come in", async () => {
    const image = await sampleImage();
    const members = archiveMembers("legacy", [image]);
    const metadataFirst = [
      ...members.filter((m) => !m.name.endsWith("layer.tar")).reverse(),
      ...members.filter((m) => m.name.endsWith("layer.tar")),
    ];
    const scan = await scanArchive(streamOf(await packMembers(metadataFirst)), options("reordered"));
    expect(scan.resolved.configDigest).toBe(sha256(image.config));
    expect((await scan.layers()).map((l) => l.index.count)).toEqual([9, 3, 2]);
  });

  it("follows the symlink docker save writes for a repeated layer", async () => {
    const base = await sampleImage();
    const layers = [base.layers[0]!, base.layers[1]!, base.layers[0]!];
    const image = { config: makeConfig(layers), layers, repoTags: ["dup:1"] };
    const members = archiveMembers("legacy", [image]);
    expect(members.filter((m) => m.type === "symlink")).toHaveLength(1);
    const archive = await packMembers(members);
    const scan = await scanArchive(streamOf(archive), options("dup"));
    const read = await scan.layers();
    expect(read.map((l) => l.ref.diffId)).toEqual(layers.map(sha256));
    expect(read[2]!.index).toBe(read[0]!.index);
    // The random-access reader follows the same link.
    const random = await resolveFromStore(await TarFileStore.open(tempFile(archive)), "docker-archive", {
      hostPlatform: host,
    });
    expect(layerSummary(await readLayers(random.resolved, random.blobs))).toEqual(layerSummary(read));
  });

  it("indexes a layer tar that happens to start like JSON", async () => {
    const layer = await makeTar([
      { name: "{odd", content: "x" },
      { name: "[odder", content: "y" },
    ]);
    const image = { config: makeConfig([layer]), layers: [layer], repoTags: ["odd:1"] };
    const scan = await scanArchive(streamOf(await buildArchive("docker25", [image])), options("odd"));
    const [read] = await scan.layers();
    expect([...read!.index.entries()].map((e) => e.path)).toEqual(["/{odd", "/[odder"]);
  });

  it("ignores a corrupt blob that no manifest references", async () => {
    const image = await sampleImage();
    const members = archiveMembers("docker25", [image]);
    members.push({
      name: `blobs/sha256/${"e".repeat(64)}`,
      type: "file",
      data: Buffer.from("\x00garbage that is no tar"),
    });
    const scan = await scanArchive(streamOf(await packMembers(members)), options("extra"));
    expect(await scan.layers()).toHaveLength(3);
  });
});

describe("scanArchive: choosing an image", () => {
  it("needs a name in a multi-image docker save and finds it by tag", async () => {
    const a = await sampleImage(["example/a:1"]);
    const layer = await makeTar([{ name: "only-b", content: "b" }]);
    const b = { config: makeConfig([layer]), layers: [layer], repoTags: ["example/b:2"] };
    for (const shape of ["legacy", "docker25", "containerd"] as const) {
      const archive = await buildArchive(shape, [a, b]);
      await expectCode(scanArchive(streamOf(archive), options("multi")), "AMBIGUOUS_IMAGE");
      const scan = await scanArchive(streamOf(archive), options("multi", { reference: "example/b:2" }));
      expect(scan.resolved.configDigest).toBe(sha256(b.config));
      const [only] = await scan.layers();
      expect(only!.index.paths).toEqual(["/only-b"]);
      await expectCode(
        scanArchive(streamOf(archive), options("multi", { reference: "nope:1" })),
        "IMAGE_NOT_FOUND",
      );
    }
  });

  it("skips absent platforms and attestations of a containerd export", async () => {
    const image = await sampleImage(["app:1"]);
    const archive = await buildArchive("containerd", [image], {
      absentPlatforms: [{ os: "linux", architecture: "arm64", variant: "v8" }],
    });
    const scan = await scanArchive(streamOf(archive), options("ctr"));
    expect(scan.resolved.indexDigest).toMatch(/^sha256:/);
    expect(scan.resolved.platform).toEqual(host);
    const error = await expectCode(
      scanArchive(streamOf(archive), options("ctr", { platform: { os: "linux", architecture: "arm64" } })),
      "PLATFORM_NOT_FOUND",
    );
    expect(error.message).toContain("linux/amd64");
  });

  it("picks the platform asked for in a multi-platform OCI archive", async () => {
    const arm: Platform = { os: "linux", architecture: "arm64", variant: "v8" };
    const amd = await sampleImage(["multi"], host);
    const armLayer = await makeTar([{ name: "arm", content: "arm" }]);
    const armImage = {
      config: makeConfig([armLayer], { architecture: "arm64", variant: "v8" }),
      layers: [armLayer],
      repoTags: [],
      platform: arm,
    };
    const archive = await buildArchive("oci", [amd, armImage], { indexPlatforms: true });
    const scan = await scanArchive(streamOf(archive), options("oci", { kind: "oci-archive", platform: arm }));
    expect(scan.resolved.platform).toEqual(arm);
    expect((await scan.layers())[0]!.index.paths).toEqual(["/arm"]);
  });
});

describe("compressed archives and the handle's single pass", () => {
  for (const outer of ["gzip", "zstd"] as const) {
    for (const shape of ["legacy", "docker25", "containerd", "oci"] as const) {
      it(`${outer}-compressed ${shape} archive`, async () => {
        const image = await sampleImage();
        const plain = await buildArchive(shape, [image]);
        const path = tempFile(outer === "gzip" ? gzipSync(plain) : zstdCompress(plain), `.tar.${outer}`);
        const kind = shape === "oci" ? "oci-archive" : "docker-archive";
        const handle = await compressedArchiveHandle(path, kind, { hostPlatform: host });
        const resolved = await handle.resolve();
        expect(resolved.source).toBe(`${kind}:${path}`);
        expect(resolved.configDigest).toBe(sha256(image.config));
        const layers = await handle.readLayers();
        expect(layers.map((l) => l.ref.diffId)).toEqual(image.layers.map(sha256));
        const reference = await scanArchive(streamOf(plain), options(path, { kind }));
        expect(layerSummary(layers)).toEqual(layerSummary(await reference.layers()));
      });
    }
  }

  it("resolve() then readLayers() reads the stream once; new capture rules read it again", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    let opens = 0;
    const open = async (): Promise<Readable> => {
      opens++;
      return streamOf(archive);
    };
    const handle = streamArchiveHandle(open, options("counted"));
    await handle.resolve();
    await handle.readLayers();
    await handle.readLayers({ concurrency: 2 });
    expect(opens).toBe(1);
    const capture = [{ matches: (p: string) => p === "/etc/os-release", maxBytes: 1024 }];
    const captured = await handle.readLayers({ capture });
    expect(opens).toBe(2);
    expect(captured[0]!.index.captured.get("/etc/os-release")?.toString()).toBe("ID=test\n");
    await handle.readLayers({ capture });
    await handle.resolve();
    expect(opens).toBe(2);
  });

  it("readLayers(capture) first serves a later resolve()", async () => {
    const archive = await buildArchive("docker25", [await sampleImage()]);
    let opens = 0;
    const handle = streamArchiveHandle(async () => {
      opens++;
      return streamOf(archive);
    }, options("counted"));
    const capture = [{ matches: (p: string) => p === "/app/a", maxBytes: 10 }];
    const layers = await handle.readLayers({ capture });
    expect(layers[1]!.index.captured.get("/app/a")?.toString()).toBe("a");
    await handle.resolve();
    await handle.readLayers();
    expect(opens).toBe(1);
  });

  it("forgets a failed pass so that a later call may succeed", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    let opens = 0;
    const handle = streamArchiveHandle(async () => {
      opens++;
      return streamOf(opens === 1 ? archive.subarray(0, 3000) : archive);
    }, options("flaky"));
    await expectCode(handle.resolve(), "CORRUPT_ARCHIVE");
    expect((await handle.resolve()).layers).toHaveLength(3);
  });
});

describe("hostile archives", () => {
  it("a truncated stream is a corrupt archive", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    for (const cut of [0.3, 0.6, 0.95]) {
      const error = await expectCode(
        scanArchive(streamOf(archive.subarray(0, Math.floor(archive.length * cut) + 7)), options("cut")),
        "CORRUPT_ARCHIVE",
      );
      expect(error.message).toMatch(/truncated|not a valid/);
    }
  });

  it("a truncated gzip archive is a corrupt archive", async () => {
    const archive = gzipSync(await buildArchive("docker25", [await sampleImage()]));
    const path = tempFile(archive.subarray(0, archive.length - 40), ".tar.gz");
    const handle = await compressedArchiveHandle(path, "docker-archive", { hostPlatform: host });
    await expectCode(handle.resolve(), "CORRUPT_ARCHIVE");
  });

  it("garbage is not an archive", async () => {
    const garbage = Buffer.alloc(4096, 0x41);
    await expectCode(scanArchive(streamOf(garbage), options("garbage")), "CORRUPT_ARCHIVE");
    await expectCode(
      scanArchive(streamOf(await makeTar([{ name: "hello", content: "x" }])), options("x")),
      "UNKNOWN_ARCHIVE",
    );
  });

  it("a layer whose content does not match its digest", async () => {
    for (const shape of ["legacy", "docker25", "containerd"] as const) {
      const image = await sampleImage();
      const members = archiveMembers(shape, [image]);
      const layer =
        shape === "containerd"
          ? members.find((m) => m.data?.[0] === 0x1f)
          : members.find((m) => m.data?.equals(image.layers[1]!));
      expect(layer).toBeDefined();
      const scan = await scanArchive(streamOf(await tamper(members, layer!.name)), options(shape));
      await expectCode(scan.layers(), "DIGEST_MISMATCH");
    }
  });

  it("a config, manifest or index whose content does not match its digest", async () => {
    const image = await sampleImage();
    const legacy = archiveMembers("legacy", [image]);
    const configName = legacy.find((m) => /^[a-f0-9]{64}\.json$/.test(m.name))!.name;
    await expectCode(
      scanArchive(streamOf(await tamper(legacy, configName)), options("cfg")),
      "DIGEST_MISMATCH",
    );

    const ctr = archiveMembers("containerd", [image]);
    const read = (name: string) => JSON.parse(ctr.find((m) => m.name === name)!.data!.toString());
    const nested = read("index.json").manifests[0].digest as string;
    const manifest = read(`blobs/sha256/${nested.slice(7)}`).manifests[0].digest as string;
    for (const digest of [nested, manifest, sha256(image.config)]) {
      const bad = await tamper(ctr, `blobs/sha256/${digest.slice(7)}`);
      await expectCode(scanArchive(streamOf(bad), options("ctr")), "DIGEST_MISMATCH");
    }
  });

  it("member names that climb out of the archive", async () => {
    const members = archiveMembers("legacy", [await sampleImage()]);
    const climbing = [
      ...members,
      { name: "../../etc/cron.d/evil", type: "file" as const, data: Buffer.from("x") },
    ];
    await expectCode(scanArchive(streamOf(await packMembers(climbing)), options("evil")), "PATH_TRAVERSAL");
    const linked = [
      ...members,
      { name: "abc/layer.tar", type: "symlink" as const, linkname: "../../../etc/passwd" },
    ];
    await expectCode(scanArchive(streamOf(await packMembers(linked)), options("evil")), "PATH_TRAVERSAL");
  });

  it("layer entries that climb out of the layer", async () => {
    const layer = await makeTar([
      { name: "ok", content: "x" },
      { name: "a/../../etc/passwd", content: "x" },
    ]);
    const archive = await buildArchive("docker25", [
      { config: makeConfig([layer]), layers: [layer], repoTags: ["t:1"] },
    ]);
    const scan = await scanArchive(streamOf(archive), options("evil-layer"));
    await expectCode(scan.layers(), "PATH_TRAVERSAL");
  });

  it("too many members, absurd member sizes and oversized JSON are refused", async () => {
    const archive = await buildArchive("legacy", [await sampleImage()]);
    await expectCode(
      scanArchive(streamOf(archive), options("n", { limits: { maxMembers: 5 } })),
      "TOO_MANY_MEMBERS",
    );
    await expectCode(
      scanArchive(streamOf(archive), options("s", { limits: { maxMemberBytes: 1000 } })),
      "MEMBER_TOO_LARGE",
    );
    await expectCode(
      scanArchive(streamOf(archive), options("j", { limits: { maxJsonBytes: 100 } })),
      "DOCUMENT_TOO_LARGE",
    );
  });

  it("a layer that is not a tar fails readLayers with a one-line error", async () => {
    const notTar = Buffer.from("this is definitely not a tar archive, but it is long enough".repeat(20));
    const archive = await buildArchive("docker25", [
      { config: makeConfig([notTar]), layers: [notTar], repoTags: ["t:1"] },
    ]);
    const scan = await scanArchive(streamOf(archive), options("not-tar"));
    await expectCode(scan.layers(), "CORRUPT_LAYER");
  });
});

function looksJson(m: ArchiveMember): boolean {
  return m.data !== undefined && (m.data[0] === 0x7b || m.data[0] === 0x5b);
}

/** Changes a member without changing its name: a space in JSON, a flipped byte elsewhere. */
async function tamper(members: ArchiveMember[], name: string): Promise<Buffer> {
  const changed = members.map((m) => {
    if (m.name !== name || !m.data) return m;
    if (looksJson(m)) {
      const at = m.data.indexOf(0x3a) + 1;
      return { ...m, data: Buffer.concat([m.data.subarray(0, at), Buffer.from(" "), m.data.subarray(at)]) };
    }
    const data = Buffer.from(m.data);
    const at = Math.min(600, data.length - 1);
    data[at] = data[at]! ^ 0xff;
    return { ...m, data };
  });
  return packMembers(changed);
}
