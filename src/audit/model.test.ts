import { describe, expect, it } from "vitest";
import { buildModel, ROOT_SLOT } from "./model.ts";
import { bytes, layerIndex } from "./test-helpers/image.ts";

describe("buildModel", () => {
  it("interns paths on their bytes, parents first, and gives them back as strings", async () => {
    const model = buildModel([
      await layerIndex([
        { name: "usr/share/doc/café/README", content: bytes(3) },
        { name: "usr/share/doc/café/日本語.txt", content: bytes(5) },
        { name: "etc/hosts", content: bytes(1) },
      ]),
      await layerIndex([
        { name: "etc/hosts", content: bytes(2) },
        { name: "usr/share/doc/café/.wh.README", content: "" },
      ]),
    ]);
    const { table } = model;
    expect(table.paths).toEqual([
      "/",
      "/usr",
      "/usr/share",
      "/usr/share/doc",
      "/usr/share/doc/café",
      "/usr/share/doc/café/README",
      "/usr/share/doc/café/日本語.txt",
      "/etc",
      "/etc/hosts",
    ]);
    for (let slot = 1; slot < table.size; slot++) {
      expect(table.parent(slot)).toBeLessThan(slot);
      expect(table.lookup(table.path(slot))).toBe(slot);
      expect(table.name(slot)).toBe(table.path(slot).split("/").pop());
    }
    expect(table.lookup("/")).toBe(ROOT_SLOT);
    expect(table.lookup("/usr/share/doc/cafe")).toBeUndefined();
    // The same path in a later layer and a whiteout of a known path add no slot.
    expect(Array.from(model.layers[1]!.entries)).toEqual([table.lookup("/etc/hosts")]);
    expect(Array.from(model.layers[1]!.whiteouts)).toEqual([table.lookup("/usr/share/doc/café/README")]);
    const name = table.nameBytes(table.lookup("/usr/share/doc/café/日本語.txt")!);
    expect(Buffer.from(name.buffer.subarray(name.start, name.end)).toString()).toBe("日本語.txt");
  });
});
