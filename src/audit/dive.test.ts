/**
 * dive's formulas on small crafted layers. Every expected number is worked out by hand in the
 * comments, following dive/filetree/efficiency.go and dive/image/analysis.go.
 */
import { describe, expect, it } from "vitest";
import { diveMetrics } from "./dive.ts";
import { buildModel } from "./model.ts";
import { bytes, type FixtureEntry, layerIndex } from "./test-helpers/image.ts";

async function metrics(layers: FixtureEntry[][]) {
  return diveMetrics(buildModel(await Promise.all(layers.map(layerIndex))));
}

describe("dive-compatible metrics", () => {
  it("counts overwrites, deleted files and deleted directories as dive does", async () => {
    const m = await metrics([
      [
        { name: "a/", type: "directory" },
        { name: "a/f1", content: bytes(100) },
        { name: "a/f2", content: bytes(50) },
        { name: "b/", type: "directory" },
        { name: "b/g", content: bytes(30) },
      ],
      [
        { name: "a/", type: "directory" },
        { name: "a/f1", content: bytes(200) },
        { name: "a/.wh.f2", content: "" },
        { name: "c", content: bytes(10) },
      ],
      [
        { name: ".wh.b", content: "" },
        { name: "c", content: bytes(10) },
      ],
    ]);
    // Leaves: L0 /a/f1 100, /a/f2 50, /b/g 30 · L1 /a/f1 200, /a/f2 whiteout of a file = 0, /c 10
    //         L2 /b whiteout of a directory = its subtree (0 + 30) = 30, /c 10
    // per path (cum, min): /a/f1 (300, 100) /a/f2 (50, 0) /b/g (30, 30) /b (30, 30) /c (20, 10)
    // efficiency = (100 + 0 + 30 + 30 + 10) / (300 + 50 + 30 + 30 + 20) = 170 / 430
    expect(m.efficiency).toBeCloseTo(170 / 430, 12);
    // Paths seen twice: /a/f1 300, /a/f2 50, /c 20 → wasted 370 (all copies counted)
    expect(m.inefficiencies.map((i) => [i.path, i.count, i.cumulativeSize])).toEqual([
      ["/a/f1", 2, 300],
      ["/a/f2", 2, 50],
      ["/c", 2, 20],
    ]);
    expect(m.wastedBytes).toBe(370);
    // Layer sizes: 180, 210, 10; user size (layers 1..) = 220 → 370 / 220
    expect(m.layerSizes).toEqual([180, 210, 10]);
    expect(m.sizeBytes).toBe(400);
    expect(m.userSizeBytes).toBe(220);
    expect(m.userWastedPercent).toBeCloseTo(370 / 220, 12);
    expect(m.abortedLayers).toEqual([]);
  });

  it("ignores opaque directories (dive drops .wh..wh..opq)", async () => {
    const m = await metrics([
      [
        { name: "d/", type: "directory" },
        { name: "d/x", content: bytes(40) },
        { name: "d/y", content: bytes(60) },
      ],
      [
        { name: "d/", type: "directory" },
        { name: "d/.wh..wh..opq", content: "" },
        { name: "d/z", content: bytes(5) },
      ],
    ]);
    // Leaves: /d/x 40, /d/y 60, /d/z 5; each once → efficiency 105/105 = 1, nothing wasted.
    expect(m.efficiency).toBe(1);
    expect(m.wastedBytes).toBe(0);
    expect(m.inefficiencies).toEqual([]);
  });

  it("does not penalise rm -rf of a directory (dive quirk)", async () => {
    const m = await metrics([
      [
        { name: "d/", type: "directory" },
        { name: "d/x", content: bytes(40) },
      ],
      [{ name: ".wh.d", content: "" }],
    ]);
    // /d/x (40, 40) once; /d whiteout of a dir = 0 + 40 → (40, 40) once: 80 / 80.
    expect(m.efficiency).toBe(1);
    expect(m.wastedBytes).toBe(0);
    // Layer 1 holds no bytes: dive divides 0 by 0 (NaN in Go, and here).
    expect(m.userWastedPercent).toBeNaN();
  });

  it("lists empty directories seen twice as 0-byte inefficiencies", async () => {
    const m = await metrics([[{ name: "opt/", type: "directory" }], [{ name: "opt/", type: "directory" }]]);
    // /opt is a leaf in both layers: (0, 0) twice; Σ cumulative 0 → efficiency 1.
    expect(m.inefficiencies.map((i) => [i.path, i.count, i.cumulativeSize])).toEqual([["/opt", 2, 0]]);
    expect(m.efficiency).toBe(1);
  });

  it("stops visiting a layer where a whiteout names nothing below, in dive's order", async () => {
    const m = await metrics([
      [{ name: "a", content: bytes(10) }],
      [
        { name: "-x", content: bytes(5) },
        { name: ".wh.nothere", content: "" },
        { name: "b", content: bytes(3) },
      ],
    ]);
    // L1 in byte order: "-x" (0x2d) < ".wh.nothere" (0x2e) < "b": /-x is counted, then the lookup
    // of /nothere fails and /b is never visited. Paths: /a (10,10) /-x (5,5) → efficiency 1.
    expect(m.abortedLayers).toEqual([1]);
    expect(m.efficiency).toBe(1);
    expect(m.layerSizes).toEqual([10, 8]);
  });

  it("sizes a whiteout from dive's stacked view: implicit parents are not directories", async () => {
    const m = await metrics([
      [
        { name: "d/", type: "directory" },
        { name: "d/x", content: bytes(40) },
      ],
      // No "d/" entry: dive makes an implicit node with an empty FileInfo over the real one.
      [{ name: "d/y", content: bytes(7) }],
      [{ name: ".wh.d", content: "" }],
    ]);
    // The stacked node /d comes from layer 1 (implicit, not a dir) → the whiteout counts 0.
    // Paths: /d/x (40,40) /d/y (7,7) /d (0,0) → efficiency 47/47 = 1.
    expect(m.efficiency).toBe(1);
    expect(m.inefficiencies).toEqual([]);
  });

  it("counts a directory whiteout over several layers with its visible subtree only", async () => {
    const m = await metrics([
      [
        { name: "d/", type: "directory" },
        { name: "d/x", content: bytes(40) },
        { name: "d/y", content: bytes(6) },
      ],
      [
        { name: "d/", type: "directory" },
        { name: "d/.wh.y", content: "" },
        { name: "d/z", content: bytes(9) },
      ],
      [{ name: ".wh.d", content: "" }],
    ]);
    // Stacked before L2: /d (dir, L1) with /d/x 40 and /d/z 9 (/d/y removed) → whiteout = 49.
    // Paths: /d/x (40,40) /d/y (6 + 0, 0) /d/z (9,9) /d (49,49)
    // efficiency = (40 + 0 + 9 + 49) / (40 + 6 + 9 + 49) = 98 / 104
    expect(m.efficiency).toBeCloseTo(98 / 104, 12);
    expect(m.wastedBytes).toBe(6);
  });
});
