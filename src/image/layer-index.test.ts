import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { decompress } from "./decompress.ts";
import { cleanEntryPath, type LayerIndex, readLayerTar } from "./layer-index.ts";
import { mergeLayers } from "./merge.ts";
import { type FixtureEntry, makeGzipTar, makeTar, streamOf } from "./test-helpers/tar.ts";

const zstd = createRequire(import.meta.url)("zstd-napi") as { compress(b: Buffer): Buffer };

async function layer(
  entries: FixtureEntry[],
  compression: "none" | "gzip" | "zstd" = "none",
): Promise<LayerIndex> {
  const tar = await makeTar(entries);
  const blob =
    compression === "gzip" ? await makeGzipTar(entries) : compression === "zstd" ? zstd.compress(tar) : tar;
  const { stream } = await decompress(streamOf(blob), "test layer");
  return readLayerTar(stream, { label: "test layer" });
}

const paths = (layers: LayerIndex[]) => [...mergeLayers(layers).entries()].map((e) => `${e.path}@${e.layer}`);

describe("readLayerTar", () => {
  for (const compression of ["none", "gzip", "zstd"] as const) {
    it(`indexes a ${compression} layer by magic bytes`, async () => {
      const index = await layer(
        [
          { name: "./etc/", type: "directory" },
          { name: "./etc/os-release", content: "ID=alpine\n" },
          { name: "usr/bin/which", content: "#!/bin/sh\n" },
          { name: "bin/sh", type: "symlink", linkname: "/bin/busybox" },
          { name: "bin/ash", type: "link", linkname: "bin/busybox" },
        ],
        compression,
      );
      expect([...index.entries()].map((e) => [e.path, e.kind, e.size, e.linkTarget])).toEqual([
        ["/etc", "dir", 0, undefined],
        ["/etc/os-release", "file", 10, undefined],
        ["/usr/bin/which", "file", 10, undefined],
        ["/bin/sh", "symlink", 0, "/bin/busybox"],
        ["/bin/ash", "hardlink", 0, "bin/busybox"],
      ]);
      expect(index.fileBytes).toBe(20);
      expect(index.whiteouts).toEqual([]); // `which` is not a whiteout (snyk's regex bug)
    });
  }

  it("captures only the files asked for", async () => {
    const tar = await makeTar([
      { name: "lib/apk/db/installed", content: "P:musl\n" },
      { name: "big", content: "x".repeat(100) },
    ]);
    const index = await readLayerTar(streamOf(tar), {
      label: "l",
      capture: [{ matches: (p) => p === "/lib/apk/db/installed" || p === "/big", maxBytes: 50 }],
    });
    expect([...index.captured.keys()]).toEqual(["/lib/apk/db/installed"]);
    expect(index.captured.get("/lib/apk/db/installed")!.toString()).toBe("P:musl\n");
  });

  it("records whiteouts and opaque markers, and rejects a bare .wh.", async () => {
    const index = await layer([
      { name: "etc/.wh.passwd", content: "" },
      { name: "var/cache/.wh..wh..opq", content: "" },
    ]);
    expect(index.whiteouts).toEqual(["/etc/passwd"]);
    expect(index.opaqueDirs).toEqual(["/var/cache"]);
    await expect(layer([{ name: "etc/.wh.", content: "" }])).rejects.toThrow(/invalid whiteout/);
  });

  it("cleans every combination of odd segments as the split-and-join statement does", () => {
    const reference = (name: string) => {
      const parts = name.split("/").filter((p) => p !== "" && p !== ".");
      return parts.includes("..") ? "TRAVERSAL" : `/${parts.join("/")}`;
    };
    const pieces = ["a", "bc", ".", "..", "", ".x", "..y", "z."];
    for (const p1 of pieces)
      for (const p2 of pieces)
        for (const p3 of pieces)
          for (const trail of ["", "/"]) {
            const name = `${p1}/${p2}/${p3}${trail}`;
            for (const candidate of [name, `/${name}`, `./${name}`, p1 + trail]) {
              let actual: string;
              try {
                actual = cleanEntryPath(candidate, "l");
              } catch {
                actual = "TRAVERSAL";
              }
              expect(actual, candidate).toBe(reference(candidate));
            }
          }
  });

  it("rejects path traversal and cleans absolute names", async () => {
    await expect(layer([{ name: "../../etc/cron.d/evil", content: "x" }])).rejects.toThrow(/path traversal/);
    expect(cleanEntryPath("/./usr//bin/", "l")).toBe("/usr/bin");
  });

  it("fails cleanly on a truncated or corrupt layer", async () => {
    const gz = await makeGzipTar([{ name: "a", content: "x".repeat(5000) }]);
    const truncated = gz.subarray(0, gz.length - 30);
    await expect(
      (async () => readLayerTar((await decompress(streamOf(truncated), "l")).stream, { label: "l" }))(),
    ).rejects.toThrow(/^l: /);
  });

  it("stops a decompression bomb", async () => {
    const bomb = await makeGzipTar([{ name: "zeros", content: Buffer.alloc(5 * 1024 * 1024) }]);
    const { stream } = await decompress(streamOf(bomb, 1 << 16), "bomb", {
      maxBytes: 1024 * 1024,
      maxRatio: 1000,
    });
    await expect(readLayerTar(stream, { label: "bomb" })).rejects.toThrow(/exceeds 1048576 bytes/);
  });
});

describe("mergeLayers (OCI whiteouts)", () => {
  it("an upper file replaces a lower one; a .wh. removes it from lower layers only", async () => {
    const base = await layer([
      { name: "a", content: "1" },
      { name: "b", content: "1" },
      { name: "dir/x", content: "1" },
    ]);
    const upper = await layer([
      { name: "a", content: "22" },
      { name: ".wh.b", content: "" },
      { name: "dir/.wh.x", content: "" },
    ]);
    expect(paths([base, upper])).toEqual(["/a@1"]);
    expect(mergeLayers([base, upper]).get("/a")!.size).toBe(2);
  });

  it("keeps a whiteout's name match to the basename prefix", async () => {
    const base = await layer([
      { name: "usr/bin/which", content: "1" },
      { name: "usr/bin/wh", content: "1" },
    ]);
    const upper = await layer([{ name: "usr/bin/.wh.wh", content: "" }]);
    expect(paths([base, upper])).toEqual(["/usr/bin/which@0"]);
  });

  it("an opaque directory hides lower contents but not its own layer's siblings, whatever the order", async () => {
    const base = await layer([
      { name: "cache/old1", content: "1" },
      { name: "cache/sub/old2", content: "1" },
      { name: "keep", content: "1" },
    ]);
    const upper = await layer([
      { name: "cache/new", content: "2" },
      { name: "cache/.wh..wh..opq", content: "" },
    ]);
    expect(paths([base, upper])).toEqual(["/cache/new@1", "/keep@0"]);
  });

  it("a whiteout in the same layer as the file does not remove it", async () => {
    const only = await layer([
      { name: "x", content: "1" },
      { name: ".wh.x", content: "" },
    ]);
    expect(paths([only])).toEqual(["/x@0"]);
  });

  it("a file replacing a directory hides the directory's lower contents", async () => {
    const base = await layer([
      { name: "opt/", type: "directory" },
      { name: "opt/tool/bin", content: "1" },
    ]);
    const upper = await layer([{ name: "opt", type: "symlink", linkname: "/srv" }]);
    expect(paths([base, upper])).toEqual(["/opt@1"]);
  });

  it("a deleted directory takes its subtree with it; re-adding in a higher layer shows only the new file", async () => {
    const l0 = await layer([
      { name: "d/a", content: "1" },
      { name: "d/b/c", content: "1" },
    ]);
    const l1 = await layer([{ name: ".wh.d", content: "" }]);
    const l2 = await layer([{ name: "d/new", content: "1" }]);
    expect(paths([l0, l1, l2])).toEqual(["/d/new@2"]);
  });

  it("an opaque root hides everything below", async () => {
    const l0 = await layer([{ name: "etc/a", content: "1" }]);
    const l1 = await layer([
      { name: ".wh..wh..opq", content: "" },
      { name: "etc/b", content: "1" },
    ]);
    expect(paths([l0, l1])).toEqual(["/etc/b@1"]);
  });
});
