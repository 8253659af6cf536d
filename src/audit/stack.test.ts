import { describe, expect, it } from "vitest";
import { mergeLayers } from "../image/merge.ts";
import { buildModel } from "./model.ts";
import { LOSS_CAUSES, stackLayers } from "./stack.ts";
import { bytes, type FixtureEntry, layerIndex } from "./test-helpers/image.ts";

async function stacked(layers: FixtureEntry[][]) {
  const indexes = await Promise.all(layers.map(layerIndex));
  const model = buildModel(indexes);
  const result = stackLayers(model);
  const lost = Array.from({ length: result.lost.count }, (_, i) => [
    model.table.paths[result.lost.slot[i]!],
    result.lost.layer[i],
    result.lost.by[i],
    LOSS_CAUSES[result.lost.cause[i]!],
    result.lost.bytes[i],
  ]);
  const visible = [...model.table.paths.keys()]
    .filter((s) => result.visibleLayer[s]! >= 0)
    .map((s) => `${model.table.paths[s]}@${result.visibleLayer[s]}`)
    .sort();
  const merged = [...mergeLayers(indexes).entries()].map((e) => `${e.path}@${e.layer}`).sort();
  return { result, lost, visible, merged };
}

describe("stackLayers", () => {
  it("records every lost copy with its cause, and agrees with mergeLayers", async () => {
    const { result, lost, visible, merged } = await stacked([
      [
        { name: "a/", type: "directory" },
        { name: "a/f1", content: bytes(100) },
        { name: "a/f2", content: bytes(50) },
        { name: "b/", type: "directory" },
        { name: "b/g", content: bytes(30) },
        { name: "d/", type: "directory" },
        { name: "d/x", content: bytes(40) },
        { name: "s/", type: "directory" },
        { name: "s/t", content: bytes(8) },
      ],
      [
        { name: "a/", type: "directory" },
        { name: "a/f1", content: bytes(200) },
        { name: "a/.wh.f2", content: "" },
        { name: "d/", type: "directory" },
        { name: "d/.wh..wh..opq", content: "" },
        { name: "d/new", content: bytes(1) },
        { name: "s", content: bytes(2) }, // a file replaces the directory s
      ],
      [{ name: ".wh.b", content: "" }],
    ]);
    expect(visible).toEqual(merged);
    expect(lost).toEqual([
      ["/a/f2", 0, 1, "deleted", 50],
      ["/d/x", 0, 1, "opaque", 40],
      ["/s/t", 0, 1, "shadowed", 8],
      ["/a/f1", 0, 1, "overwritten", 100],
      ["/b/g", 0, 2, "deleted", 30],
    ]);
    // Reclaimable = Σ lost = all file bytes (428 + 203) - visible file bytes (200 + 1 + 2).
    expect(lost.reduce((n, l) => n + (l[4] as number), 0)).toBe(228);
    expect(result.changes[1]).toEqual({
      added: { count: 2, bytes: 3 },
      modified: { count: 1, bytes: 200 },
      removed: { count: 3, bytes: 98 },
      hiddenBytes: 198,
    });
    expect(result.changes[2]!.removed).toEqual({ count: 1, bytes: 30 });
  });

  it("counts a path written twice in one tar once, the first copy as lost", async () => {
    const { lost, visible } = await stacked([
      [
        { name: "f", content: bytes(5) },
        { name: "f", content: bytes(7) },
      ],
    ]);
    expect(visible).toEqual(["/f@0"]);
    expect(lost).toEqual([["/f", 0, 0, "duplicate", 5]]);
  });
});
