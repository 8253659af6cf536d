import { describe, expect, it } from "vitest";
import type { CaptureRule } from "../image/layer-index.ts";
import { mergeLayers } from "../image/merge.ts";
import { fileView } from "./files.ts";
import { type FileSpec, layerIndex } from "./test-kit.ts";

const captureAll: CaptureRule[] = [{ matches: () => true, maxBytes: 1024 }];

async function layers(specs: Array<Record<string, FileSpec>>) {
  return Promise.all(specs.map((files) => layerIndex(files, captureAll)));
}

describe("sbom/files", () => {
  const cases: Array<[string, Array<Record<string, FileSpec>>]> = [
    ["a file replaced above", [{ "/a/x": "1", "/a/y": "1" }, { "/a/x": "2" }]],
    ["a whiteout", [{ "/a/x": "1", "/a/y": "1" }, { "/a/x": { whiteout: true } }]],
    ["a directory whited out", [{ "/a/b/x": "1", "/c": "1" }, { "/a/b": { whiteout: true } }]],
    ["a directory replaced by a file", [{ "/a/b/x": "1" }, { "/a/b": "file" }]],
    [
      "an opaque directory",
      [
        { "/a/x": "1", "/a/y": "1", "/b/z": "1" },
        { "/a/.wh..wh..opq": "", "/a/y": "2" },
      ],
    ],
    ["re-added after deletion", [{ "/a/x": "1" }, { "/a/x": { whiteout: true } }, { "/a/x": "3" }]],
  ];
  for (const [name, specs] of cases) {
    it(`squashed view matches mergeLayers: ${name}`, async () => {
      const indexes = await layers(specs);
      const view = fileView(
        indexes.map((index) => ({ index })),
        "squashed",
      );
      const merged = [...mergeLayers(indexes).entries()]
        .filter((e) => e.kind === "file")
        .map((e) => [e.path, e.layer]);
      expect(view.find(() => true).map((r) => [r.path, r.layer])).toEqual(merged);
    });
  }

  it("all-layers keeps every version; history marks deletions", async () => {
    const indexes = await layers([{ "/a/x": "1" }, { "/a/x": { whiteout: true } }, { "/a/x": "3" }]);
    const view = fileView(
      indexes.map((index, i) => ({ index, diffId: `sha256:${i}` })),
      "all-layers",
    );
    expect(view.find(() => true)).toEqual([
      { path: "/a/x", layer: 0 },
      { path: "/a/x", layer: 2 },
    ]);
    expect(view.history("/a/x")).toEqual([
      { layer: 0, deleted: false },
      { layer: 1, deleted: true },
      { layer: 2, deleted: false },
    ]);
    expect(view.read({ path: "/a/x", layer: 2 })?.toString()).toBe("3");
    expect(view.location({ path: "/a/x", layer: 2 })).toEqual({
      path: "/a/x",
      layerDiffId: "sha256:2",
      layerIndex: 2,
    });
  });
});
