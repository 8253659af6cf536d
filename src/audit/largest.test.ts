import { describe, expect, it } from "vitest";
import { largestInLayer, largestSquashed } from "./largest.ts";
import { buildModel } from "./model.ts";
import { stackLayers } from "./stack.ts";
import { bytes, layerIndex } from "./test-helpers/image.ts";

describe("largest files and du tree", async () => {
  const model = buildModel(
    await Promise.all([
      layerIndex([
        { name: "usr/lib/a.so", content: bytes(500) },
        { name: "usr/lib/b.so", content: bytes(300) },
        { name: "usr/bin/sh", content: bytes(100) },
        { name: "etc/passwd", content: bytes(5) },
        { name: "tmp/x", content: bytes(2000) },
      ]),
      layerIndex([
        { name: "tmp/.wh.x", content: "" },
        { name: "usr/lib/b.so", content: bytes(50) },
      ]),
    ]),
  );
  const stack = stackLayers(model);

  it("lists the largest visible files with their layer", () => {
    expect(largestSquashed(model, stack, { top: 3 }).files).toEqual([
      { path: "/usr/lib/a.so", bytes: 500, layer: 0 },
      { path: "/usr/bin/sh", bytes: 100, layer: 0 },
      { path: "/usr/lib/b.so", bytes: 50, layer: 1 },
    ]);
  });

  it("sums directories like du, largest first, leaving out the smallest", () => {
    const { tree } = largestSquashed(model, stack, { top: 3, minShare: 0.01 });
    expect(tree).toEqual({
      path: "/",
      bytes: 655,
      files: 4,
      children: [
        {
          path: "/usr",
          bytes: 650,
          files: 3,
          children: [
            { path: "/usr/lib", bytes: 550, files: 2 },
            { path: "/usr/bin", bytes: 100, files: 1 },
          ],
        },
      ],
    });
  });

  it("lists one layer's own files, hidden later or not", () => {
    expect(largestInLayer(model, 0, { top: 2 }).files.map((f) => f.path)).toEqual([
      "/tmp/x",
      "/usr/lib/a.so",
    ]);
    expect(largestInLayer(model, 1, { top: 2 }).tree.bytes).toBe(50);
  });
});
