import { describe, expect, it } from "vitest";
import { classifyBloat } from "./bloat.ts";
import { CLASSIFIERS } from "./classifiers.ts";
import { buildModel } from "./model.ts";
import { stackLayers } from "./stack.ts";
import { bytes, type FixtureEntry, layerIndex } from "./test-helpers/image.ts";

async function bloat(layers: FixtureEntry[][], env: string[] = []) {
  const model = buildModel(await Promise.all(layers.map(layerIndex)));
  return classifyBloat(model, stackLayers(model), { env, limit: 10 });
}

const byId = (result: Awaited<ReturnType<typeof bloat>>) =>
  Object.fromEntries(result.classes.map((c) => [c.id, [c.bytes, c.files, c.paths.map((p) => p.path)]]));

describe("classifyBloat", () => {
  it("finds package-manager and language caches left in the final filesystem", async () => {
    const result = await bloat([
      [
        { name: "var/lib/apt/lists/lock", content: "" },
        { name: "var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease", content: bytes(150) },
        { name: "var/lib/apt/lists/partial/", type: "directory" },
        { name: "var/cache/apt/archives/curl_8.deb", content: bytes(400) },
        { name: "root/.cache/pip/http/a/b", content: bytes(70) },
        { name: "home/app/.npm/_cacache/index-v5/x", content: bytes(30) },
        { name: "usr/local/share/.cache/yarn/v6/pkg", content: bytes(20) },
        { name: "go/pkg/mod/github.com/x/y.go", content: bytes(11) },
        { name: "root/.m2/repository/org/x.jar", content: bytes(12) },
        { name: "root/.gradle/caches/modules-2/x", content: bytes(13) },
        { name: "root/.nuget/packages/x/1.0/x.nupkg", content: bytes(14) },
        { name: "var/lib/gems/3.1.0/cache/rake.gem", content: bytes(15) },
        { name: "var/cache/apk/APKINDEX.tar.gz", content: bytes(16) },
        { name: "var/cache/dnf/repo.solv", content: bytes(17) },
        { name: "root/.local/share/pnpm/store/v3/x", content: bytes(18) },
      ],
    ]);
    expect(byId(result)).toEqual({
      "apt-cache": [400, 1, ["/var/cache/apt"]],
      "apt-lists": [150, 1, ["/var/lib/apt/lists"]], // the lock file is not bloat
      "pip-cache": [70, 1, ["/root/.cache/pip"]],
      "npm-cache": [30, 1, ["/home/app/.npm/_cacache"]],
      "yarn-cache": [20, 1, ["/usr/local/share/.cache/yarn"]],
      "pnpm-store": [18, 1, ["/root/.local/share/pnpm/store"]],
      "dnf-yum-cache": [17, 1, ["/var/cache/dnf"]],
      "apk-cache": [16, 1, ["/var/cache/apk"]],
      "gem-cache": [15, 1, ["/var/lib/gems/3.1.0/cache"]],
      "nuget-cache": [14, 1, ["/root/.nuget/packages"]],
      "gradle-cache": [13, 1, ["/root/.gradle/caches"]],
      "maven-repo": [12, 1, ["/root/.m2/repository"]],
      "go-cache": [11, 1, ["/go/pkg/mod"]],
    });
    expect(result.bytes).toBe(400 + 150 + 70 + 30 + 20 + 18 + 17 + 16 + 15 + 14 + 13 + 12 + 11);
  });

  it("counts only what is still visible, and attributes it to the layer that holds it", async () => {
    const result = await bloat([
      [{ name: "var/lib/apt/lists/a_InRelease", content: bytes(100) }],
      [{ name: "var/lib/apt/lists/.wh.a_InRelease", content: "" }],
      [{ name: "tmp/build.log", content: bytes(9) }],
    ]);
    expect(byId(result)).toEqual({ temp: [9, 1, ["/tmp"]] });
    expect(result.classes[0]!.layers).toEqual([{ layer: 2, bytes: 9, files: 1 }]);
  });

  it("classifies docs, locales, vcs, package extras, core dumps and editor leftovers", async () => {
    const result = await bloat([
      [
        { name: "usr/share/doc/curl/changelog.gz", content: bytes(50) },
        { name: "usr/share/doc/curl/copyright", content: bytes(999) },
        { name: "usr/share/man/man1/curl.1.gz", content: bytes(25) },
        { name: "usr/share/locale/de/LC_MESSAGES/x.mo", content: bytes(40) },
        { name: "usr/share/locale/locale.alias", content: bytes(999) },
        { name: "app/.git/objects/pack/p.pack", content: bytes(60) },
        { name: "app/node_modules/left-pad/test/index.js", content: bytes(7) },
        { name: "app/node_modules/@scope/pkg/docs/a.md", content: bytes(8) },
        { name: "app/node_modules/left-pad/lib/test/keep.js", content: bytes(999) },
        { name: "usr/lib/python3/site-packages/numpy/core/tests/t.py", content: bytes(6) },
        { name: "app/core", content: bytes(33) },
        { name: "app/.main.py.swp", content: bytes(3) },
        { name: "app/notes.txt~", content: bytes(2) },
      ],
    ]);
    expect(byId(result)).toEqual({
      docs: [75, 2, ["/usr/share/doc", "/usr/share/man"]],
      locales: [40, 1, ["/usr/share/locale"]],
      vcs: [60, 1, ["/app/.git"]],
      "node-modules-extras": [
        15,
        2,
        ["/app/node_modules/@scope/pkg/docs", "/app/node_modules/left-pad/test"],
      ],
      "python-package-tests": [6, 1, ["/usr/lib/python3/site-packages/numpy/core/tests"]],
      "core-dumps": [33, 1, ["/app/core"]],
      "editor-leftovers": [5, 2, ["/app/.main.py.swp", "/app/notes.txt~"]],
    });
  });

  it("applies conditional classifiers only when the image meets the condition", async () => {
    const layers: FixtureEntry[][] = [
      [
        { name: "usr/include/zlib.h", content: bytes(20) },
        { name: "usr/lib/libz.a", content: bytes(30) },
        { name: "app/__pycache__/m.cpython-312.pyc", content: bytes(4) },
        { name: "app/x.pyc", content: bytes(5) },
      ],
    ];
    const runtime = await bloat(layers, ["PYTHONDONTWRITEBYTECODE=1"]);
    expect(byId(runtime)).toEqual({
      "dev-files": [50, 2, ["/usr/lib/libz.a", "/usr/include"]],
      "python-bytecode": [9, 2, ["/app/x.pyc", "/app/__pycache__"]],
    });
    const withCompiler = await bloat([[...layers[0]!, { name: "usr/bin/gcc", content: bytes(1) }]]);
    expect(byId(withCompiler)).toEqual({});
    expect(withCompiler.skipped.map((s) => s.id)).toEqual(["python-bytecode", "dev-files"]);
  });

  it("decides names on their bytes as it would on their strings", async () => {
    const result = await bloat([
      [
        { name: "app/#draft#", content: bytes(1) },
        { name: "app/Thumbs.db", content: bytes(2) },
        { name: "app/vgcore.12", content: bytes(4) },
        { name: "app/coredump.txt", content: bytes(999) },
        { name: "app/café~", content: bytes(8) },
        { name: "app/ça.a", content: bytes(16) },
        { name: "app/lib.la", content: bytes(32) },
        { name: "app/data.a.txt", content: bytes(999) },
        { name: "home/ünï/.cache/pip/x", content: bytes(64) },
        { name: "home/u/.npm/_logs/y", content: bytes(128) },
        { name: "srv/.hg", content: bytes(256) },
      ],
    ]);
    expect(byId(result)).toEqual({
      "editor-leftovers": [11, 3, ["/app/café~", "/app/Thumbs.db", "/app/#draft#"]],
      "core-dumps": [4, 1, ["/app/vgcore.12"]],
      "dev-files": [48, 2, ["/app/lib.la", "/app/ça.a"]],
      "pip-cache": [64, 1, ["/home/ünï/.cache/pip"]],
      "npm-cache": [128, 1, ["/home/u/.npm/_logs"]],
      vcs: [256, 1, ["/srv/.hg"]],
    });
  });

  it("has `filesEnds` that every name its `files` pattern matches begins or ends with", () => {
    const alphabet = [".", "#", "~", "T", "c", "v", "o", "r", "e", "s", "w", "p", "1", "x", "é"];
    const names = [".DS_Store", "Thumbs.db", "core", "core.1", "vgcore.99", ".a.swp", ".#x", "#x#", "x~"];
    const grow = (prefixes: string[]) => prefixes.flatMap((p) => alphabet.map((c) => p + c));
    let level = [""];
    for (let length = 1; length <= 4; length++) {
      level = grow(level);
      names.push(...level);
    }
    for (const classifier of CLASSIFIERS) {
      if (!classifier.files || !classifier.filesEnds) continue;
      const { first, last } = classifier.filesEnds;
      for (const name of names) {
        if (!classifier.files.test(name)) continue;
        expect(first.includes(name[0]!) || last.includes(name[name.length - 1]!), name).toBe(true);
      }
    }
  });
});
