import { describe, expect, it } from "vitest";
import { type EntryKindName, LayerIndex } from "./layer-index.ts";
import { mergeLayers, TopDownMerge } from "./merge.ts";

/**
 * The straightforward statement of OCI whiteout semantics (every ancestor checked against sets
 * of removed paths and opaque directories), which mergeLayers computes with caches instead.
 */
function referenceMerge(layers: LayerIndex[]): string[] {
  const ancestors = (path: string) => {
    const out: string[] = [];
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) out.push(path.slice(0, i));
    return out;
  };
  const visible = new Map<string, number>();
  const removed = new Set<string>();
  const opaque = new Set<string>();
  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const index = layers[layer]!;
    for (let i = 0; i < index.count; i++) {
      const path = index.path(i);
      if (visible.has(path)) continue;
      if (removed.has(path) || ancestors(path).some((a) => removed.has(a))) continue;
      if (opaque.has("") || ancestors(path).some((a) => opaque.has(a))) continue;
      visible.set(path, layer);
    }
    for (const path of index.whiteouts) removed.add(path);
    for (const dir of index.opaqueDirs) opaque.add(dir === "/" ? "" : dir);
    for (let i = 0; i < index.count; i++) if (index.kind(i) !== "dir") removed.add(index.path(i));
  }
  return [...visible].map(([path, layer]) => `${path}@${layer}`).sort();
}

/** A deterministic PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomLayers(seed: number): LayerIndex[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const names = ["a", "b", "c", "d"];
  const randomPath = () => {
    const depth = 1 + Math.floor(next() * 4);
    return `/${Array.from({ length: depth }, () => pick(names)).join("/")}`;
  };
  const kinds: EntryKindName[] = ["dir", "dir", "file", "file", "symlink"];
  return Array.from({ length: 1 + Math.floor(next() * 5) }, () => {
    const index = new LayerIndex();
    for (let n = Math.floor(next() * 25); n > 0; n--) {
      const roll = next();
      const path = randomPath();
      if (roll < 0.1) index.whiteouts.push(path);
      else if (roll < 0.15) index.opaqueDirs.push(next() < 0.1 ? "/" : path);
      else index.add({ path, kind: pick(kinds), size: 1, mode: 0o644, uid: 0, gid: 0 });
    }
    return index;
  });
}

describe("mergeLayers against the reference statement of whiteout semantics", () => {
  it("agrees on 3,000 random layer stacks (whiteouts, opaque dirs, files over dirs, duplicates)", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const layers = randomLayers(seed);
      const merged = [...mergeLayers(layers).entries()].map((e) => `${e.path}@${e.layer}`).sort();
      expect(merged, `seed ${seed}`).toEqual(referenceMerge(layers));
    }
  });

  it("a non-directory in a middle layer hides the lower subtree even when an upper directory replaces it", () => {
    const make = (entries: Array<[string, EntryKindName]>) => {
      const index = new LayerIndex();
      for (const [path, kind] of entries) index.add({ path, kind, size: 0, mode: 0, uid: 0, gid: 0 });
      return index;
    };
    const layers = [
      make([
        ["/p", "dir"],
        ["/p/x", "file"],
      ]),
      make([["/p", "file"]]),
      make([["/p", "dir"]]),
    ];
    expect([...mergeLayers(layers).entries()].map((e) => `${e.path}@${e.layer}`)).toEqual(["/p@2"]);
  });
});

describe("TopDownMerge (layers merged as they finish reading)", () => {
  it("gives mergeLayers' view whatever order the layers are offered in", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const layers = randomLayers(seed);
      const order = layers.map((_, position) => position);
      const shuffle = random(seed + 10_000);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const merge = new TopDownMerge(layers.length);
      for (const position of order) merge.offer(position, layers[position]!);
      merge.offer(order[0]!, layers[order[0]!]!); // offered twice: ignored
      const view = merge.view();
      const expected = mergeLayers(layers);
      expect([...view.entries()], `seed ${seed}`).toEqual([...expected.entries()]);
      expect(view.count).toBe(expected.count);
    }
  });

  it("refuses a view while a layer is missing", () => {
    const merge = new TopDownMerge(2);
    merge.offer(0, new LayerIndex());
    expect(() => merge.view()).toThrow(/layer 1 was not merged/);
  });
});

describe("LayerIndex paths", () => {
  it("keeps paths as bytes until asked for strings, and appends after", () => {
    const index = new LayerIndex();
    index.add({ path: "/é/ü", kind: "file", size: 3, mode: 0, uid: 0, gid: 0 });
    index.add({ path: "/b", kind: "dir", size: 0, mode: 0, uid: 0, gid: 0 });
    expect(index.path(0)).toBe("/é/ü");
    expect(index.paths).toEqual(["/é/ü", "/b"]);
    index.add({ path: "/c", kind: "symlink", size: 0, mode: 0, uid: 0, gid: 0, linkTarget: "/b" });
    expect(index.paths).toEqual(["/é/ü", "/b", "/c"]);
    expect(index.entry(2)).toMatchObject({ path: "/c", kind: "symlink", linkTarget: "/b" });
    expect(index.count).toBe(3);
  });
});
