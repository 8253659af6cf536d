/**
 * `drydock audit` on images built by a real Docker engine, with known waste: the seed's bad apt
 * example (cleanup in a separate RUN), a large file added then deleted, a file overwritten in a
 * later layer, a directory replaced through an opaque whiteout (overlay2 writes
 * `.wh..wh..opq` for `rm -rf dir && mkdir dir`), and a cache left behind.
 *
 * Every expected number is computed here from `tar -tv` listings of the layers of `docker save`
 * (an independent merge and an independent, naive transcription of dive's efficiency rules),
 * never from drydock's own code.
 *
 * Needs the engine and base images that `.ci/run` prepares: `bash test/e2e/start-services.sh`
 * and `bash test/e2e/base-images.sh` (as root). Missing services fail the test; it never skips.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const suffix = `${process.pid}-${Date.now()}`;
const SEED_TAG = `drydock-e2e-audit-seed:${suffix}`;
const WASTE_TAG = `drydock-e2e-audit-waste:${suffix}`;

const SEED_DOCKERFILE = [
  "FROM debian:bookworm-slim",
  "RUN apt-get update",
  "RUN apt-get install -y curl",
  "RUN rm -rf /var/lib/apt/lists/*",
  "",
].join("\n");

const WASTE_DOCKERFILE = [
  "FROM alpine:3.20", // 1
  "RUN head -c 3000000 /dev/urandom > /big.bin", // 2: large file…
  "RUN rm /big.bin", // 3: …deleted
  "RUN mkdir -p /data && head -c 300000 /dev/urandom > /data/blob", // 4: a file…
  "RUN head -c 100000 /dev/urandom > /data/blob", // 5: …overwritten
  "RUN mkdir -p /opt/tree/sub && head -c 50000 /dev/urandom > /opt/tree/a && head -c 7000 /dev/urandom > /opt/tree/sub/b", // 6
  "RUN rm -rf /opt/tree && mkdir -p /opt/tree && echo new > /opt/tree/c", // 7: opaque directory
  "RUN mkdir -p /root/.cache/pip/http && head -c 200000 /dev/urandom > /root/.cache/pip/http/wheel", // 8: cache left
  // 9-10: a (fake) private key written, then deleted: still in layer 8.
  "RUN mkdir -p /root/.ssh && printf -- '-----BEGIN %s PRIVATE KEY-----\\nAAAA\\n-----END %s PRIVATE KEY-----\\n' OPENSSH OPENSSH > /root/.ssh/id_ed25519",
  "RUN rm /root/.ssh/id_ed25519",
  "",
].join("\n");

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return spawnSync(command, args, {
    cwd: options.cwd ?? REPO,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.error ? `${result.error.message}\n` : ""}${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0)
    throw new Error(`${what} failed (exit ${result.status}):\n${output(result).slice(-4000)}`);
  return result.stdout;
}

/** The classic builder: no buildx plugin needed, and `--network host` reaches the apt mirror. */
function dockerBuild(dir: string, tag: string): void {
  must(
    run("docker", ["build", "--force-rm", "--network", "host", "-t", tag, dir], {
      env: { DOCKER_BUILDKIT: "0" },
    }),
    `docker build ${tag}`,
  );
}

function drydock(args: string[], cwd?: string): SpawnSyncReturns<string> {
  return run(process.execPath, [join(REPO, "bin", "drydock.js"), ...args], {
    env: { CI: "" },
    ...(cwd ? { cwd } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Layer listings from `tar -tv`, and what follows from them (independent of drydock)

interface Listed {
  path: string;
  type: string; // first character of the mode column: - d l h c b p
  size: number;
}

function listLayers(archive: string): Listed[][] {
  const manifest = JSON.parse(
    must(run("tar", ["-xOf", archive, "manifest.json"]), "tar manifest.json"),
  ) as Array<{
    Layers: string[];
  }>;
  return manifest[0]!.Layers.map((member) => {
    const listing = run("sh", [
      "-c",
      `tar -xOf "$1" "$2" | tar -tv --quoting-style=literal`,
      "sh",
      archive,
      member,
    ]);
    return must(listing, `tar -tv ${member}`)
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        // Devices show "major,minor" where other entries show their size.
        const match = /^(\S)\S*\s+\S+\s+(\d+|\d+,\s*\d+)\s+\S+\s+\S+\s+(.*)$/.exec(line);
        if (!match) throw new Error(`unexpected tar -tv line: ${line}`);
        let name = match[3]!;
        if (match[1] === "l") name = name.split(" -> ")[0]!;
        if (match[1] === "h") name = name.split(" link to ")[0]!;
        const path = `/${name.replace(/^\.?\/+/, "").replace(/\/+$/, "")}`;
        return { path, type: match[1]!, size: match[1] === "-" ? Number(match[2]) : 0 };
      })
      .filter((e) => e.path !== "/");
  });
}

const base = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";
const isWhiteout = (e: Listed) => base(e.path).startsWith(".wh.") && base(e.path) !== ".wh..wh..opq";
const isOpaque = (e: Listed) => base(e.path) === ".wh..wh..opq";
const under = (path: string, dir: string) => path.startsWith(dir === "/" ? "/" : `${dir}/`);

/** The filesystem a container sees (OCI whiteout rules), by plain map operations. */
function mergeListings(layers: Listed[][]): Map<string, Listed & { layer: number }> {
  const visible = new Map<string, Listed & { layer: number }>();
  layers.forEach((entries, layer) => {
    const drop = (test: (path: string) => boolean) => {
      for (const path of [...visible.keys()]) if (test(path)) visible.delete(path);
    };
    for (const e of entries.filter(isWhiteout)) {
      const target = `${parentOf(e.path) === "/" ? "" : parentOf(e.path)}/${base(e.path).slice(4)}`;
      drop((p) => p === target || under(p, target));
    }
    for (const e of entries.filter(isOpaque)) drop((p) => under(p, parentOf(e.path)));
    for (const e of entries)
      if (!isWhiteout(e) && !isOpaque(e) && e.type !== "d") drop((p) => under(p, e.path));
    for (const e of entries) if (!isWhiteout(e) && !isOpaque(e)) visible.set(e.path, { ...e, layer });
  });
  return visible;
}

const fileBytes = (entries: Iterable<Listed>) =>
  [...entries].filter((e) => e.type === "-").reduce((n, e) => n + e.size, 0);

/**
 * dive's efficiency (dive/filetree/efficiency.go), naively: per layer, the leaf entries (no other
 * entry of the layer below them); a whiteout counts the size of what it removes from the
 * stack of lower layers when that is a directory, else 0; opaque markers are ignored.
 */
function naiveDive(layers: Listed[][]) {
  const stacked = new Map<string, Listed>();
  const seen = new Map<string, { count: number; cumulative: number; min: number }>();
  for (const entries of layers) {
    const withChildren = new Set(entries.map((e) => parentOf(e.path)));
    for (const e of entries) {
      if (isOpaque(e) || withChildren.has(e.path)) continue;
      let path = e.path;
      let size = e.type === "-" ? e.size : 0;
      if (isWhiteout(e)) {
        path = `${parentOf(e.path) === "/" ? "" : parentOf(e.path)}/${base(e.path).slice(4)}`;
        const lower = stacked.get(path);
        if (!lower) throw new Error(`whiteout of ${path} that is not below: dive would stop here`);
        size =
          lower.type === "d"
            ? [...stacked.values()]
                .filter((s) => under(s.path, path))
                .reduce((n, s) => n + (s.type === "-" ? s.size : 0), 0)
            : 0;
      }
      const acc = seen.get(path) ?? { count: 0, cumulative: 0, min: Number.POSITIVE_INFINITY };
      acc.count++;
      acc.cumulative += size;
      acc.min = Math.min(acc.min, size);
      seen.set(path, acc);
    }
    for (const e of entries.filter(isWhiteout)) {
      const target = `${parentOf(e.path) === "/" ? "" : parentOf(e.path)}/${base(e.path).slice(4)}`;
      for (const p of [...stacked.keys()]) if (p === target || under(p, target)) stacked.delete(p);
    }
    for (const e of entries) if (!isWhiteout(e) && !isOpaque(e)) stacked.set(e.path, e);
  }
  let min = 0;
  let cumulative = 0;
  let wasted = 0;
  for (const acc of seen.values()) {
    min += acc.min;
    cumulative += acc.cumulative;
    if (acc.count >= 2) wasted += acc.cumulative;
  }
  const sizes = layers.map((entries) => fileBytes(entries));
  const userSize = sizes.slice(1).reduce((a, b) => a + b, 0);
  return {
    efficiency: cumulative === 0 ? 1 : min / cumulative,
    wasted,
    userWastedPercent: wasted / userSize,
    sizes,
  };
}

// ---------------------------------------------------------------------------------------------

interface Built {
  archive: string;
  baseArchive: string;
  dockerfile: string;
  layers: Listed[][];
}

describe("drydock audit on real images", () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "drydock-e2e-audit-"));
    dirs.push(dir);
    return dir;
  };
  let seed: Built;
  let waste: Built;

  const build = (tag: string, baseImage: string, dockerfileText: string): Built => {
    const dir = newDir();
    const dockerfile = join(dir, "Dockerfile");
    writeFileSync(dockerfile, dockerfileText);
    dockerBuild(dir, tag);
    const archive = join(dir, "image.tar");
    const baseArchive = join(dir, "base.tar");
    must(run("docker", ["save", "-o", archive, tag]), `docker save ${tag}`);
    must(run("docker", ["save", "-o", baseArchive, baseImage]), `docker save ${baseImage}`);
    return { archive, baseArchive, dockerfile, layers: listLayers(archive) };
  };

  const auditJson = (built: Built, extra: string[] = []) => {
    const result = drydock([
      "audit",
      `docker-archive:${built.archive}`,
      "--format",
      "json",
      "--dockerfile",
      built.dockerfile,
      "--base",
      `docker-archive:${built.baseArchive}`,
      "--top",
      "50",
      ...extra,
    ]);
    return JSON.parse(must(result, "drydock audit --format json"));
  };

  beforeAll(() => {
    const info = run("docker", ["info", "--format", "{{.ServerVersion}}"]);
    if (info.status !== 0) {
      throw new Error(
        `no Docker engine answers: start it with \`bash test/e2e/start-services.sh\` (as root)\n${output(info)}`,
      );
    }
    for (const image of ["debian:bookworm-slim", "alpine:3.20"]) {
      if (run("docker", ["image", "inspect", image]).status !== 0) {
        throw new Error(
          `base image ${image} is missing: create it with \`bash test/e2e/base-images.sh\` (as root)`,
        );
      }
    }
    seed = build(SEED_TAG, "debian:bookworm-slim", SEED_DOCKERFILE);
    waste = build(WASTE_TAG, "alpine:3.20", WASTE_DOCKERFILE);
  });

  afterAll(() => {
    run("docker", ["rmi", "-f", SEED_TAG, WASTE_TAG]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test("layer sizes, totals, reclaimable bytes and dive's numbers match the tar listings", () => {
    for (const built of [seed, waste]) {
      const json = auditJson(built);
      const visible = mergeListings(built.layers);
      const all = built.layers.flat();
      expect(json.layers.map((l: { sizeBytes: number }) => l.sizeBytes)).toEqual(
        built.layers.map((l) => fileBytes(l)),
      );
      expect(json.totals.sizeBytes).toBe(fileBytes(all));
      expect(json.totals.finalBytes).toBe(fileBytes(visible.values()));
      expect(json.totals.files).toBe(visible.size);
      expect(json.corrected.reclaimableBytes).toBe(fileBytes(all) - fileBytes(visible.values()));
      // The base image is one imported layer, found through --base (shared diffIDs).
      expect(json.base).toMatchObject({ method: "base-image", layers: 1 });
      expect(json.corrected.userSizeBytes).toBe(fileBytes(built.layers.slice(1).flat()));

      const dive = naiveDive(built.layers);
      expect(json.dive.efficiency).toBeCloseTo(dive.efficiency, 12);
      expect(json.dive.wastedBytes).toBe(dive.wasted);
      expect(json.dive.userWastedPercent).toBeCloseTo(dive.userWastedPercent, 12);
      expect(json.dive.sizeBytes).toBe(dive.sizes.reduce((a, b) => a + b, 0));
    }
  });

  test("the seed's late apt cleanup: the lists are waste, line 4 is the line to move into line 2", () => {
    const json = auditJson(seed);
    const [, update, install, cleanup] = seed.layers as [Listed[], Listed[], Listed[], Listed[]];
    // What the rm layer whites out under /var/lib/apt/lists, and what the update layer wrote there.
    const removed = new Set(
      cleanup.filter(isWhiteout).map((e) => `${parentOf(e.path)}/${base(e.path).slice(4)}`),
    );
    const rewritten = new Set(install.map((e) => e.path));
    const lists = update.filter(
      (e) =>
        e.type === "-" &&
        !rewritten.has(e.path) &&
        [...removed].some((r) => e.path === r || under(e.path, r)),
    );
    const listBytes = fileBytes(lists);
    expect(listBytes).toBeGreaterThan(1_000_000); // Debian's package lists are megabytes
    const group = json.waste.find((w: { layer: number; by: number }) => w.layer === 1 && w.by === 3);
    expect(group).toMatchObject({ kind: "deleted", bytes: listBytes, files: lists.length });
    const fix = json.suggestions.find((s: { kind: string }) => s.kind === "move-cleanup");
    expect(fix).toMatchObject({ layer: 3, line: 4, relatedLayer: 1, relatedLine: 2 });
    expect(fix.bytes).toBe(listBytes);
    expect(fix.message).toMatch(
      /^line 4 `RUN rm -rf \/var\/lib\/apt\/lists\/\*` runs after line 2 `RUN apt-get update` created /,
    );

    // apt's caches that stay in the image (visible files under /var/cache/apt, lock files aside).
    const visible = mergeListings(seed.layers);
    const cached = [...visible.values()].filter(
      (e) => e.type === "-" && under(e.path, "/var/cache/apt") && base(e.path) !== "lock",
    );
    const aptCache = json.bloat.classes.find((c: { id: string }) => c.id === "apt-cache");
    expect(aptCache?.bytes ?? 0).toBe(fileBytes(cached));

    const text = must(
      drydock(["audit", `docker-archive:${seed.archive}`, "--dockerfile", seed.dockerfile, "--no-color"]),
      "drydock audit",
    );
    expect(text).toContain(
      "line 4 `RUN rm -rf /var/lib/apt/lists/*` runs after line 2 `RUN apt-get update` created",
    );
    expect(text).toContain("move the deletion into line 2's RUN: saves");
  });

  test("a deleted file, an overwritten file, an opaque directory and a cache left behind", () => {
    const json = auditJson(waste);
    const layers = waste.layers;
    const size = (layer: number, path: string) => layers[layer]!.find((e) => e.path === path)!.size;

    // Layer 1 (line 2) wrote /big.bin, layer 2 (line 3) whited it out.
    expect(layers[2]!.some((e) => e.path === "/.wh.big.bin")).toBe(true);
    const deleted = json.waste.find((w: { layer: number; by: number }) => w.layer === 1 && w.by === 2);
    expect(deleted).toMatchObject({ kind: "deleted", bytes: size(1, "/big.bin"), files: 1 });
    expect(size(1, "/big.bin")).toBe(3_000_000);
    const moveRm = json.suggestions.find((s: { line?: number }) => s.line === 3);
    expect(moveRm).toMatchObject({ kind: "move-cleanup", relatedLine: 2, bytes: 3_000_000 });

    // Layer 3 (line 4) wrote /data/blob, layer 4 (line 5) wrote it again.
    const replaced = json.waste.find((w: { layer: number; by: number }) => w.layer === 3 && w.by === 4);
    expect(replaced).toMatchObject({ kind: "replaced", bytes: size(3, "/data/blob"), files: 1 });
    expect(json.reclaimablePaths.find((p: { path: string }) => p.path === "/data/blob")).toMatchObject({
      copies: 1,
      bytes: 300_000,
      keptBytes: size(4, "/data/blob"),
      deleted: false,
    });

    // Layer 6 (line 7) made /opt/tree opaque: everything layer 5 put under it is waste.
    expect(layers[6]!.some((e) => e.path === "/opt/tree/.wh..wh..opq")).toBe(true);
    const hidden = fileBytes(layers[5]!.filter((e) => under(e.path, "/opt/tree")));
    expect(hidden).toBe(57_000);
    const opaque = json.waste.find((w: { layer: number; by: number }) => w.layer === 5 && w.by === 6);
    expect(opaque).toMatchObject({ kind: "deleted", causes: ["opaque"], bytes: hidden, files: 2 });
    // dive ignores opaque markers: the hidden files are not in its wasted bytes.
    expect(json.dive.inefficiencies.some((i: { path: string }) => i.path.startsWith("/opt/tree/"))).toBe(
      false,
    );

    // The pip cache left by layer 7 (line 8).
    const pip = json.bloat.classes.find((c: { id: string }) => c.id === "pip-cache");
    expect(pip).toMatchObject({
      bytes: size(7, "/root/.cache/pip/http/wheel"),
      files: 1,
      layers: [{ layer: 7 }],
    });
    const pipFix = json.suggestions.find(
      (s: { kind: string; line?: number }) => s.kind === "remove-bloat" && s.line === 8,
    );
    expect(pipFix.message).toContain("--no-cache-dir");

    // The key deleted by layer 9 (line 10) is still in layer 8 (line 9).
    expect(layers[9]!.some((e) => e.path === "/root/.ssh/.wh.id_ed25519")).toBe(true);
    expect(json.secrets).toEqual([
      expect.objectContaining({
        rule: "private-key",
        severity: "high",
        path: "/root/.ssh/id_ed25519",
        layer: 8,
        bytes: size(8, "/root/.ssh/id_ed25519"),
        visible: false,
        hiddenBy: 9,
      }),
    ]);
  });

  test("the CI gate reads .dive-ci, prints PASS/FAIL per rule and sets the exit code", () => {
    const cwd = newDir();
    writeFileSync(
      join(cwd, ".dive-ci"),
      "rules:\n  lowestEfficiency: 0.99\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: off\n",
    );
    const failed = drydock(["audit", `docker-archive:${waste.archive}`, "--ci", "--no-color"], cwd);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(
      /FAIL {2}lowestEfficiency \(image efficiency is too low \(efficiency=0\.\d\d < threshold=0\.99\)\)/,
    );
    expect(failed.stdout).toMatch(
      /FAIL {2}highestWastedBytes \(too many bytes wasted \(wasted-bytes=\d+ > threshold=1000000\)\)/,
    );
    expect(failed.stdout).toContain("SKIP  highestUserWastedPercent (disabled)");

    writeFileSync(
      join(cwd, ".dive-ci"),
      "rules:\n  lowest-efficiency: 0.1\n  highest-user-wasted-percent: 0.99\n",
    );
    const passed = drydock(
      ["audit", `docker-archive:${waste.archive}`, "--ci", "--no-color", "--max-size", "100MB"],
      cwd,
    );
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain("PASS  lowestEfficiency (0.1)");
    expect(passed.stdout).toContain("PASS  maxSize (100MB)");

    const usage = drydock(
      ["audit", `docker-archive:${waste.archive}`, "--ci", "--max-reclaimable", "much"],
      cwd,
    );
    expect(usage.status).toBe(2);
  });
});
