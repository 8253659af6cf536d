import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLayerTar } from "../image/layer-index.ts";
import { layerTar } from "./test-kit.ts";

describe("image/layer-index extract hook (used by the SBOM catalogers)", () => {
  it("streams matching files to extract, keeps its result, and keeps reading the layer", async () => {
    const tar = await layerTar({
      "/usr/bin/tool": { content: Buffer.alloc(200_000, 7), mode: 0o755 },
      "/usr/bin/script": { content: "#!/bin/sh\n", mode: 0o755 },
      "/etc/conf": "x",
    });
    const seen: string[] = [];
    const index = await readLayerTar(Readable.from([tar]), {
      label: "t",
      capture: [
        {
          matches: (_path, entry) => entry !== undefined && (entry.mode & 0o111) !== 0,
          maxBytes: 1 << 20,
          extract: async (path, content, size) => {
            seen.push(path);
            let total = 0;
            for await (const chunk of content) total += chunk.length;
            return total === size && path.endsWith("tool") ? { total } : undefined;
          },
        },
        { matches: (p) => p === "/etc/conf", maxBytes: 10 },
      ],
    });
    expect(seen).toEqual(["/usr/bin/tool", "/usr/bin/script"]);
    expect([...index.extracted]).toEqual([["/usr/bin/tool", { total: 200_000 }]]);
    expect(index.captured.get("/etc/conf")?.toString()).toBe("x");
    expect(index.count).toBe(3);
  });

  it("drains what an extract function did not read", async () => {
    const tar = await layerTar({ "/a.jar": Buffer.alloc(300_000, 1), "/b": "after" });
    const index = await readLayerTar(Readable.from([tar]), {
      label: "t",
      capture: [
        { matches: (p) => p === "/a.jar", maxBytes: 1 << 20, extract: async () => "skipped" },
        { matches: (p) => p === "/b", maxBytes: 10 },
      ],
    });
    expect(index.extracted.get("/a.jar")).toBe("skipped");
    expect(index.captured.get("/b")?.toString()).toBe("after");
  });
});
