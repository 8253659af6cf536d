import { describe, expect, it } from "vitest";
import { renderDiveJson } from "../report/audit/json.ts";
import { renderAuditText } from "../report/audit/text.ts";
import { audit } from "./audit.ts";
import { DEFAULT_CI_THRESHOLDS } from "./ci.ts";
import { bytes, fakeImage } from "./test-helpers/image.ts";

// The seed's bad apt example, as layers: lists created by line 2, removed by line 4.
const SEED_DOCKERFILE = [
  "FROM debian:bookworm-slim",
  "RUN apt-get update",
  "RUN apt-get install -y curl",
  "RUN rm -rf /var/lib/apt/lists/*",
  "",
].join("\n");

const seedLayers = () => [
  [
    { name: "usr/", type: "directory" as const },
    { name: "usr/bin/bash", content: bytes(1000) },
    { name: "var/lib/apt/lists/", type: "directory" as const },
  ],
  [
    { name: "var/lib/apt/lists/", type: "directory" as const },
    { name: "var/lib/apt/lists/deb_InRelease", content: bytes(300) },
    { name: "var/lib/apt/lists/deb_Packages", content: bytes(4000) },
    { name: "var/cache/apt/pkgcache.bin", content: bytes(500) },
  ],
  [
    { name: "usr/bin/curl", content: bytes(200) },
    { name: "var/cache/apt/archives/curl.deb", content: bytes(150) },
  ],
  [
    { name: "var/lib/apt/lists/", type: "directory" as const },
    { name: "var/lib/apt/lists/.wh.deb_InRelease", content: "" },
    { name: "var/lib/apt/lists/.wh.deb_Packages", content: "" },
  ],
];

const classicHistory = [
  { created_by: "/bin/sh -c #(nop) ADD file:0123 in / " },
  { created_by: '/bin/sh -c #(nop)  CMD ["bash"]', empty_layer: true },
  { created_by: "/bin/sh -c apt-get update" },
  { created_by: "/bin/sh -c apt-get install -y curl" },
  { created_by: "/bin/sh -c rm -rf /var/lib/apt/lists/*" },
];

describe("audit", () => {
  it("ties the seed's late apt cleanup to its Dockerfile lines, with the bytes saved", async () => {
    const handle = await fakeImage(seedLayers(), { history: classicHistory });
    const result = await audit(handle, { dockerfile: { path: "Dockerfile", text: SEED_DOCKERFILE } });

    expect(result.base).toMatchObject({ method: "dockerfile", layers: 1 });
    expect(result.dockerfile).toMatchObject({ matchedLayerLines: 3, layerLines: 3, used: true });
    expect(result.layers.map((l) => l.instruction?.line)).toEqual([undefined, 2, 3, 4]);
    expect(result.layers.map((l) => [l.sizeBytes, l.reclaimableBytes, l.removed.count])).toEqual([
      [1000, 0, 0],
      [4800, 4300, 0],
      [350, 0, 0],
      [0, 0, 2],
    ]);
    expect(result.corrected).toMatchObject({
      reclaimableBytes: 4300,
      userReclaimableBytes: 4300,
      sizeBytes: 6150,
      userSizeBytes: 5150,
      finalBytes: 1850,
    });
    expect(result.corrected.userWastedPercent).toBeCloseTo(4300 / 5150, 12);
    // dive: /var/lib/apt/lists files seen twice (300 + 0, 4000 + 0); the lists dir is never a leaf
    // in layers 0-1 and 3 (it has children), but is one in layer 0 (an empty dir): (0, 0) once.
    expect(result.dive.inefficiencies.map((i) => [i.path, i.count, i.cumulativeSize])).toEqual([
      ["/var/lib/apt/lists/deb_Packages", 2, 4000],
      ["/var/lib/apt/lists/deb_InRelease", 2, 300],
    ]);
    expect(result.dive.wastedBytes).toBe(4300);
    expect(result.dive.efficiency).toBeCloseTo(
      (1000 + 0 + 0 + 500 + 200 + 150) / (1000 + 4300 + 500 + 200 + 150),
      12,
    );

    const [first] = result.suggestions;
    expect(first).toMatchObject({ kind: "move-cleanup", layer: 3, line: 4, relatedLine: 2, bytes: 4300 });
    expect(first!.message).toBe(
      "line 4 `RUN rm -rf /var/lib/apt/lists/*` runs after line 2 `RUN apt-get update` created 2 files (/var/lib/apt/lists/*): move the deletion into line 2's RUN",
    );
    const cache = result.suggestions.find((s) => s.kind === "remove-bloat" && s.line === 2);
    expect(cache).toMatchObject({ bytes: 500 });
    expect(result.bloat.classes.map((c) => [c.id, c.bytes, c.layers.map((l) => l.layer)])).toEqual([
      ["apt-cache", 650, [1, 2]],
    ]);

    const text = renderAuditText(result, { color: false });
    expect(text).toContain(
      "1. line 4 `RUN rm -rf /var/lib/apt/lists/*` runs after line 2 `RUN apt-get update` created 2 files",
    );
    expect(text).toContain("saves 4.3 kB");
    expect(text).toContain("efficiency:         ");
  });

  it("matches BuildKit history and keeps line attribution without a base CMD", async () => {
    const history = [
      { created_by: "ADD file:0123 in / " },
      { created_by: 'CMD ["bash"]', empty_layer: true },
      { created_by: "RUN /bin/sh -c apt-get update # buildkit" },
      { created_by: "RUN /bin/sh -c apt-get install -y curl # buildkit" },
      { created_by: "RUN /bin/sh -c rm -rf /var/lib/apt/lists/* # buildkit" },
    ];
    const result = await audit(await fakeImage(seedLayers(), { history }), {
      dockerfile: { path: "Dockerfile", text: SEED_DOCKERFILE },
    });
    expect(result.history.map((h) => h.builder)).toEqual([
      "buildkit",
      "buildkit",
      "buildkit",
      "buildkit",
      "buildkit",
    ]);
    expect(result.layers.map((l) => l.instruction?.line)).toEqual([undefined, 2, 3, 4]);
  });

  it("falls back to the history heuristic, then dive's first layer, and says so", async () => {
    const heuristic = await audit(await fakeImage(seedLayers(), { history: classicHistory }));
    expect(heuristic.base).toMatchObject({ method: "history", layers: 1 });
    const noCmd = await audit(await fakeImage(seedLayers()));
    expect(noCmd.base).toMatchObject({ method: "first-layer", layers: 1 });
    expect(noCmd.base.notes).toContain("history: no base-image CMD entry found");
  });

  it("uses --base and annotations: the shared diffIDs are the base", async () => {
    const diffIds = ["sha256:a", "sha256:b", "sha256:c", "sha256:d"];
    const base = await fakeImage(seedLayers().slice(0, 2), { diffIds: diffIds.slice(0, 2) });
    const opened: string[] = [];
    const openBase = async (reference: string) => {
      opened.push(reference);
      return base;
    };
    const withBase = await audit(await fakeImage(seedLayers(), { diffIds }), {
      base: "debian:bookworm-slim",
      openBase,
    });
    expect(withBase.base).toMatchObject({ method: "base-image", layers: 2, name: "debian:bookworm-slim" });
    expect(withBase.layers.map((l) => l.base)).toEqual([true, true, false, false]);
    // Layer 1 (apt-get update) is now base: its lists are base files hidden by a user layer.
    expect(withBase.corrected).toMatchObject({ userReclaimableBytes: 0, baseHiddenBytes: 4300 });
    expect(withBase.suggestions.find((s) => s.kind === "base-deletion")).toMatchObject({
      layer: 3,
      bytes: 0,
      hiddenBytes: 4300,
    });

    const annotated = await fakeImage(seedLayers(), {
      diffIds,
      annotations: {
        "org.opencontainers.image.base.name": "docker.io/library/debian:bookworm-slim",
        "org.opencontainers.image.base.digest": "sha256:feed",
      },
    });
    const result = await audit(annotated, { base: "ignored:1", openBase });
    expect(result.base).toMatchObject({ method: "annotation", layers: 2 });
    expect(opened.at(-1)).toBe("docker.io/library/debian:bookworm-slim@sha256:feed");

    const failing = await audit(annotated, {
      openBase: async () => {
        throw new Error("offline");
      },
    });
    expect(failing.base.method).toBe("first-layer");
    expect(failing.base.notes[0]).toContain(
      "annotation: cannot open docker.io/library/debian:bookworm-slim@sha256:feed: offline",
    );
  });

  it("suggests COPY --chown for a chown -R that rewrites copied files", async () => {
    const layers = [
      [{ name: "etc/passwd", content: bytes(10) }],
      [
        { name: "app/", type: "directory" as const },
        { name: "app/a.js", content: bytes(700) },
        { name: "app/b.js", content: bytes(300) },
      ],
      [
        { name: "app/", type: "directory" as const },
        { name: "app/a.js", content: bytes(700) },
        { name: "app/b.js", content: bytes(300) },
      ],
    ];
    const history = [
      { created_by: "/bin/sh -c #(nop) ADD file:0123 in / " },
      { created_by: "/bin/sh -c #(nop) COPY dir:4567 in /app " },
      { created_by: "/bin/sh -c chown -R node:node /app" },
    ];
    const dockerfile = "FROM node:20\nCOPY . /app\nRUN chown -R node:node /app\n";
    const result = await audit(await fakeImage(layers, { history }), {
      dockerfile: { path: "Dockerfile", text: dockerfile },
    });
    expect(result.suggestions[0]).toMatchObject({ kind: "copy-chown", line: 3, relatedLine: 2, bytes: 1000 });
    expect(result.suggestions[0]!.message).toContain("use `COPY --chown=…` on line 2 and drop the chown");
  });

  it("evaluates the CI gate and lists layers for --by-layer", async () => {
    const handle = await fakeImage(seedLayers(), { history: classicHistory });
    const result = await audit(handle, {
      ci: { ...DEFAULT_CI_THRESHOLDS, maxReclaimable: "4kB" },
      byLayer: true,
      top: 2,
    });
    expect(result.ci?.pass).toBe(false);
    expect(result.ci?.rules.find((r) => r.rule === "maxReclaimable")).toMatchObject({ status: "FAIL" });
    expect(result.largest.perLayer?.map((l) => l.files.map((f) => f.path))).toEqual([
      ["/usr/bin/bash"],
      ["/var/lib/apt/lists/deb_Packages", "/var/cache/apt/pkgcache.bin"],
      ["/usr/bin/curl", "/var/cache/apt/archives/curl.deb"],
      [],
    ]);
    expect(renderAuditText(result, { color: false })).toMatch(
      /CI evaluation\n(.|\n)*FAIL {2}maxReclaimable \(too many reclaimable bytes/,
    );
    await expect(audit(handle, { ci: { ...DEFAULT_CI_THRESHOLDS, lowestEfficiency: "2" } })).rejects.toThrow(
      /outside allowed range/,
    );
  });

  it("exports dive's JSON shape", async () => {
    const result = await audit(await fakeImage(seedLayers(), { history: classicHistory }));
    const dive = JSON.parse(renderDiveJson(result));
    expect(dive.image).toEqual({
      sizeBytes: 6150,
      inefficientBytes: 4300,
      efficiencyScore: result.dive.efficiency,
      fileReference: [
        { count: 2, sizeBytes: 4000, file: "/var/lib/apt/lists/deb_Packages" },
        { count: 2, sizeBytes: 300, file: "/var/lib/apt/lists/deb_InRelease" },
      ],
    });
    expect(dive.layer[2]).toMatchObject({
      index: 2,
      sizeBytes: 200 + 150,
      command: "apt-get install -y curl",
    });
  });
});
