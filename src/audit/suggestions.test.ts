import { describe, expect, it } from "vitest";
import type { WasteGroup } from "./reclaimable.ts";
import { describeOrigin, type LayerOrigin, savingText, suggestFixes } from "./suggestions.ts";

const origin = (
  layer: number,
  keyword: string,
  body: string,
  extra: Partial<LayerOrigin> = {},
): LayerOrigin => ({
  layer,
  base: false,
  createdBy: `/bin/sh -c ${body}`,
  keyword,
  body,
  ...extra,
});

const group = (
  layer: number,
  by: number,
  kind: WasteGroup["kind"],
  bytes: number,
  path = "/x",
): WasteGroup => ({
  layer,
  by,
  kind,
  causes: kind === "deleted" ? ["deleted"] : ["overwritten"],
  bytes,
  files: 3,
  paths: [{ path, bytes, files: 3 }],
  morePaths: 0,
});

describe("suggestFixes", () => {
  const origins = [
    origin(0, "ADD", "file:abc in /", { base: true }),
    origin(1, "COPY", ". /app", { line: 2, source: "COPY . /app" }),
    origin(2, "RUN", "rm -rf /app/.git", { line: 3, source: "RUN rm -rf /app/.git" }),
    origin(3, "RUN", "apt-get update && apt-get upgrade -y"),
    origin(4, "RUN", "sed -i s/a/b/ /app/config.js", { line: 5, source: "RUN sed -i s/a/b/ /app/config.js" }),
  ];

  it("says what to change for each kind of waste, largest saving first", () => {
    const fixes = suggestFixes(
      [
        group(1, 2, "deleted", 5000, "/app/.git"),
        group(0, 3, "replaced", 9000, "/usr/lib"),
        group(1, 4, "replaced", 100, "/app/config.js"),
      ],
      [],
      origins,
    );
    expect(fixes.map((f) => [f.kind, f.layer, f.line, f.bytes])).toEqual([
      ["base-upgrade", 3, undefined, 9000],
      ["exclude-from-copy", 2, 3, 5000],
      ["merge-rewrite", 4, 5, 100],
    ]);
    expect(fixes[0]!.message).toBe(
      "layer 4 (`apt-get update && apt-get upgrade -y`) upgrades 3 files (/usr/lib) of the base image, whose old copies stay in the base layer: use an up-to-date base image instead",
    );
    expect(fixes[1]!.message).toBe(
      "line 3 `RUN rm -rf /app/.git` deletes 3 files (/app/.git) that line 2 `COPY . /app` copied in: leave them out of the copy (.dockerignore or a narrower source)",
    );
    expect(savingText(fixes[1]!)).toBe("saves 5.0 kB");
  });

  it("turns bloat left by user layers into fixes, never base layers", () => {
    const fixes = suggestFixes(
      [],
      [
        {
          id: "vcs",
          category: "vcs",
          title: "version-control metadata (.git, .svn, .hg)",
          fix: "add `.git` to .dockerignore",
          bytes: 700,
          files: 9,
          layers: [
            { layer: 0, bytes: 200, files: 2 },
            { layer: 1, bytes: 500, files: 7 },
          ],
          paths: [{ path: "/app/.git", bytes: 500, files: 7, layers: [{ layer: 1, bytes: 500, files: 7 }] }],
          morePaths: 0,
        },
      ],
      origins,
    );
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.message).toBe(
      "line 2 `COPY . /app` leaves version-control metadata (.git, .svn, .hg) (/app/.git, 7 files): keep them out of the build context (.dockerignore)",
    );
  });

  it("describes a layer by its line, or by its history when there is no Dockerfile", () => {
    expect(describeOrigin(origins[2]!)).toBe("line 3 `RUN rm -rf /app/.git`");
    expect(describeOrigin(origins[0]!)).toBe("layer 1 (`ADD file:abc in /`)");
  });
});
