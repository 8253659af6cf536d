/**
 * Image sources against real components: images built by the local Docker engine (20.10,
 * classic builder, overlay2) and copied by skopeo. Every source of the same image must give the
 * same config, layer diffIDs and file lists, and those must agree with `tar -t` of each layer,
 * with `skopeo inspect`, and with the filesystem of a container made from the image
 * (`docker export`). Needs dockerd and skopeo (see DEVELOPERS.md); fails, never skips, without them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageHandle } from "../../src/image/handle.ts";
import { mergeLayers } from "../../src/image/merge.ts";
import { openImage } from "../../src/image/open.ts";
import { defaultProviders } from "../../src/image/providers.ts";
import type { LayerData } from "../../src/image/read.ts";
import { indexTarFile } from "../../src/image/sources/tar-index.ts";
import type { ImageConfig, ResolvedImage } from "../../src/image/types.ts";
import { convertLegacyArchive } from "./helpers/archive-shapes.ts";

const repoRoot = join(import.meta.dirname, "..", "..");
const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
const work = mkdtempSync(join(tmpdir(), "drydock-e2e-sources-"));
const providers = defaultProviders({ daemon: { host: process.env.DOCKER_HOST } });

function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  return execFileSync(command, args, {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, ...options.env },
    input: options.input,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** A shell pipeline (paths here are ours: no quoting issues). */
function pipe(script: string): string {
  return run("bash", ["-o", "pipefail", "-c", script]);
}

const sha256 = (data: Buffer | string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

interface TestImage {
  name: string;
  tag: string;
  dockerfile: string;
  /** Paths the merged filesystem must show, and must not. */
  present: string[];
  absent: string[];
}

const IMAGES: TestImage[] = [
  {
    name: "alpine",
    tag: "drydock-e2e/sources-alpine:1",
    dockerfile: [
      "FROM alpine:3.20",
      "RUN mkdir -p /dir/sub && echo a > /dir/sub/old && echo x > /to-delete && echo keep > /keep",
      "RUN rm /to-delete",
      // overlay2 turns a directory removed and re-created into an opaque whiteout.
      "RUN rm -rf /dir && mkdir /dir && touch /dir/new",
      // The same layer twice: docker save (<= 24) writes the second as a symlink.
      "COPY file.txt /file.txt",
      "RUN rm /file.txt",
      "COPY file.txt /file.txt",
      "RUN ln -s /file.txt /link && ln /keep /keep-hardlink",
      "ENV FOO=bar",
      'LABEL org.example.test="drydock e2e"',
      "WORKDIR /dir",
      'CMD ["/bin/sh"]',
    ].join("\n"),
    present: ["/dir/new", "/keep", "/keep-hardlink", "/file.txt", "/link", "/bin/busybox", "/etc/os-release"],
    absent: ["/to-delete", "/dir/sub", "/dir/sub/old"],
  },
  {
    name: "debian",
    tag: "drydock-e2e/sources-debian:1",
    dockerfile: [
      "FROM debian:bookworm-slim",
      "RUN rm -rf /usr/share/doc && mkdir -p /usr/share/doc && echo x > /usr/share/doc/only",
      "RUN echo hello > /hello && rm -f /etc/motd",
      'ENTRYPOINT ["/bin/bash"]',
    ].join("\n"),
    present: ["/hello", "/usr/share/doc/only", "/etc/os-release", "/usr/bin/dpkg"],
    absent: ["/etc/motd", "/usr/share/doc/bash", "/usr/share/doc/dpkg"],
  },
];

/** What every source of an image is compared on. */
interface Reading {
  resolved: ResolvedImage;
  layers: LayerData[];
}

interface Built {
  image: TestImage;
  id: string;
  diffIds: string[];
  /** The config as docker save wrote it. */
  configRaw: Buffer;
  legacy: string;
  /** The legacy docker save as read by drydock: what every other source is compared with. */
  reference?: Reading;
}

async function referenceOf(b: Built): Promise<Reading> {
  b.reference ??= await read(`docker-archive:${b.legacy}`);
  return b.reference;
}

const built = new Map<string, Built>();
let multiArchive = "";

function ensureEngine(): void {
  const info = spawnSync(docker, ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
  if (info.status !== 0) {
    throw new Error(
      `the Docker engine is not reachable (${(info.stderr || info.error?.message || "").trim()}): run test/e2e/start-services.sh`,
    );
  }
  if (spawnSync("skopeo", ["--version"]).status !== 0)
    throw new Error("skopeo is missing (apt-get install skopeo)");
  const missing = ["alpine:3.20", "debian:bookworm-slim"].filter(
    (tag) => spawnSync(docker, ["image", "inspect", tag], { stdio: "ignore" }).status !== 0,
  );
  if (missing.length > 0) run("bash", [join(repoRoot, "test/e2e/base-images.sh")]);
}

function build(image: TestImage): Built {
  const context = join(work, `ctx-${image.name}`);
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, "Dockerfile"), `${image.dockerfile}\n`);
  writeFileSync(join(context, "file.txt"), "hello from the build context\n");
  // The classic builder: what a Docker 20.10 engine uses by default, with overlay2 diffs.
  run(docker, ["build", "--network", "host", "-q", "-t", image.tag, context], {
    env: { DOCKER_BUILDKIT: "0" },
  });
  const id = run(docker, ["image", "inspect", "-f", "{{.Id}}", image.tag]).trim();
  const diffIds = JSON.parse(
    run(docker, ["image", "inspect", "-f", "{{json .RootFS.Layers}}", image.tag]),
  ) as string[];
  const legacy = join(work, `${image.name}-legacy.tar`);
  run(docker, ["save", "-o", legacy, image.tag]);
  const manifest = JSON.parse(pipe(`tar -xOf ${legacy} manifest.json`)) as { Config: string }[];
  const configRaw = execFileSync("tar", ["-xOf", legacy, manifest[0]!.Config], { maxBuffer: 1 << 28 });
  return { image, id, diffIds, configRaw, legacy };
}

/** Makes every archive and layout of an image that the sources below read. */
async function prepareSources(b: Built): Promise<void> {
  const base = join(work, b.image.name);
  await convertLegacyArchive(b.legacy, `${base}-docker25.tar`, "docker25");
  await convertLegacyArchive(b.legacy, `${base}-containerd.tar`, "containerd");
  pipe(`gzip -c ${b.legacy} > ${base}-legacy.tar.gz`);
  pipe(`zstd -q -c ${b.legacy} > ${base}-legacy.tar.zst`);
  pipe(`gzip -c ${base}-docker25.tar > ${base}-docker25.tar.gz`);
  pipe(`gzip -c ${base}-containerd.tar > ${base}-containerd.tar.gz`);
  const from = `docker-daemon:${b.image.tag}`;
  run("skopeo", ["copy", "-q", from, `oci:${base}-oci-gzip:v1`]);
  run("skopeo", ["copy", "-q", "--dest-compress-format", "zstd", from, `oci:${base}-oci-zstd:v1`]);
  run("skopeo", ["copy", "-q", from, `oci-archive:${base}-oci.tar:v1`]);
  run("skopeo", [
    "copy",
    "-q",
    "--dest-compress-format",
    "zstd",
    from,
    `oci-archive:${base}-oci-zstd.tar:v1`,
  ]);
  pipe(`gzip -c ${base}-oci.tar > ${base}-oci.tar.gz`);
}

beforeAll(async () => {
  ensureEngine();
  for (const image of IMAGES) built.set(image.name, build(image));
  multiArchive = join(work, "multi-legacy.tar");
  run(docker, ["save", "-o", multiArchive, ...IMAGES.map((i) => i.tag)]);
  await convertLegacyArchive(multiArchive, join(work, "multi-docker25.tar"), "docker25");
  await convertLegacyArchive(multiArchive, join(work, "multi-containerd.tar"), "containerd");
  pipe(`gzip -c ${multiArchive} > ${multiArchive}.gz`);
  for (const b of built.values()) await prepareSources(b);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function read(spec: string): Promise<Reading> {
  const handle: ImageHandle = await openImage(spec, { providers });
  try {
    const resolved = await handle.resolve();
    const layers = await handle.readLayers();
    return { resolved, layers };
  } finally {
    await handle.close?.();
  }
}

/** A layer as compared between sources: every entry, whiteout and opaque directory. */
function layerView(layer: LayerData) {
  return {
    entries: [...layer.index.entries()],
    whiteouts: [...layer.index.whiteouts].sort(),
    opaque: [...layer.index.opaqueDirs].sort(),
  };
}

function mergedPaths(reading: Reading): string[] {
  return [...mergeLayers(reading.layers.map((l) => l.index)).entries()].map((e) => e.path);
}

/** The parts of a config that survive skopeo's conversion to an OCI config. */
function semanticConfig(config: ImageConfig) {
  const c = config.config ?? {};
  return {
    architecture: config.architecture,
    os: config.os,
    rootfs: config.rootfs,
    history: config.history,
    env: c.Env,
    cmd: c.Cmd ?? undefined,
    entrypoint: c.Entrypoint ?? undefined,
    workingDir: c.WorkingDir || undefined,
    user: c.User || undefined,
    labels: c.Labels && Object.keys(c.Labels).length > 0 ? c.Labels : undefined,
  };
}

/** `tar -t` of a layer, split like the OCI layer spec: entries, whiteouts, opaque directories. */
function tarView(listing: string) {
  const paths: string[] = [];
  const whiteouts: string[] = [];
  const opaque: string[] = [];
  for (const line of listing.split("\n")) {
    const name = line.replace(/^\.\//, "").replace(/\/$/, "");
    if (name === "" || name === ".") continue;
    const slash = name.lastIndexOf("/");
    const dir = slash === -1 ? "" : name.slice(0, slash);
    const base = name.slice(slash + 1);
    if (base === ".wh..wh..opq") opaque.push(`/${dir}`.replace(/^\/$/, "/"));
    else if (base.startsWith(".wh.")) whiteouts.push(`/${dir ? `${dir}/` : ""}${base.slice(4)}`);
    else paths.push(`/${name}`);
  }
  return { paths: paths.sort(), whiteouts: whiteouts.sort(), opaque: opaque.sort() };
}

/** Where a member of a tar points, when it is a symlink (relative to its directory). */
function symlinkTarget(archive: string, member: string): string {
  const line = pipe(`tar --quoting-style=literal -tvf ${archive} ${member}`).trim();
  const arrow = line.indexOf(" -> ");
  if (!line.startsWith("l") || arrow === -1) return member;
  return posix.normalize(posix.join(posix.dirname(member), line.slice(arrow + 4)));
}

function expectLayerMatchesTar(layer: LayerData, listing: string, what: string): void {
  const tar = tarView(listing);
  expect([...layer.index.paths].sort(), `${what}: entries`).toEqual(tar.paths);
  expect([...layer.index.whiteouts].sort(), `${what}: whiteouts`).toEqual(tar.whiteouts);
  expect([...layer.index.opaqueDirs].sort(), `${what}: opaque directories`).toEqual(tar.opaque);
}

const TAR_T = "tar --quoting-style=literal -t";
function decompressCommand(mediaType: string): string {
  if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) return "gzip -dc |";
  if (mediaType.endsWith("+zstd")) return "zstd -q -dc |";
  return "";
}

/** Paths Docker adds to every container (the init layer and mount points), not in the image. */
const CONTAINER_ONLY = new Set([
  "/.dockerenv",
  "/dev",
  "/dev/console",
  "/dev/pts",
  "/dev/shm",
  "/etc/hostname",
  "/etc/hosts",
  "/etc/mtab",
  "/etc/resolv.conf",
  "/proc",
  "/sys",
]);

for (const image of IMAGES) {
  describe(`${image.name}: every source reads the same image`, () => {
    const b = () => built.get(image.name)!;
    const base = () => join(work, image.name);

    /** Sources that keep the engine's config byte for byte. */
    const dockerSources: [string, () => string, Partial<ResolvedImage>?][] = [
      ["docker save (legacy)", () => `docker-archive:${b().legacy}`],
      ["docker save | gzip", () => `docker-archive:${base()}-legacy.tar.gz`],
      ["docker save | zstd", () => `docker-archive:${base()}-legacy.tar.zst`],
      ["Docker >= 25 shape", () => `docker-archive:${base()}-docker25.tar`],
      ["Docker >= 25 shape, gzip-compressed", () => `docker-archive:${base()}-docker25.tar.gz`],
      ["containerd-store shape", () => `docker-archive:${base()}-containerd.tar`],
      ["containerd-store shape, gzip-compressed", () => `docker-archive:${base()}-containerd.tar.gz`],
      ["multi-image docker save, by tag", () => `docker-archive:${multiArchive}:${image.tag}`],
      ["multi-image docker save | gzip, by tag", () => `docker-archive:${multiArchive}.gz:${image.tag}`],
      [
        "multi-image Docker >= 25 shape, by tag",
        () => `docker-archive:${join(work, "multi-docker25.tar")}:${image.tag}`,
      ],
      [
        "multi-image containerd shape, by tag",
        () => `docker-archive:${join(work, "multi-containerd.tar")}:${image.tag}`,
      ],
      ["the Docker daemon", () => `docker-daemon:${image.tag}`],
    ];

    it("docker save (legacy): config, diffIDs and every layer agree with the engine and with tar -t", async () => {
      const reading = await read(`docker-archive:${b().legacy}`);
      const { resolved, layers } = reading;
      expect(resolved.configDigest).toBe(b().id);
      expect(sha256(b().configRaw)).toBe(b().id);
      expect(resolved.config.rootfs.diff_ids).toEqual(b().diffIds);
      expect(layers.map((l) => l.ref.diffId)).toEqual(b().diffIds);
      const manifest = JSON.parse(pipe(`tar -xOf ${b().legacy} manifest.json`)) as { Layers: string[] }[];
      let symlinks = 0;
      manifest[0]!.Layers.forEach((path, i) => {
        // docker save writes a repeated layer as a symlink to its first copy: list the target.
        const member = symlinkTarget(b().legacy, path);
        if (member !== path) symlinks++;
        const listing = pipe(`tar -xOf ${b().legacy} ${member} | ${TAR_T}`);
        expectLayerMatchesTar(layers[i]!, listing, `layer ${i + 1} (${member})`);
      });
      if (image.name === "alpine") expect(symlinks).toBe(1);
      b().reference = reading;
    });

    it("the merged file list is the container's filesystem (docker export)", async () => {
      const merged = mergedPaths(await referenceOf(b()));
      const container = run(docker, ["create", image.tag]).trim();
      let exported: string;
      try {
        exported = pipe(`${docker} export ${container} | ${TAR_T}`);
      } finally {
        run(docker, ["rm", container]);
      }
      const fromContainer = exported
        .split("\n")
        .map((line) => `/${line.replace(/^\.\//, "").replace(/\/$/, "")}`)
        .filter((p) => p !== "/" && !CONTAINER_ONLY.has(p));
      expect(merged.filter((p) => !CONTAINER_ONLY.has(p))).toEqual([...new Set(fromContainer)].sort());
      for (const path of image.present) expect(merged, path).toContain(path);
      for (const path of image.absent) expect(merged, path).not.toContain(path);
    });

    for (const [what, spec] of dockerSources) {
      it(`${what}: identical config, diffIDs and file lists`, async () => {
        const reading = await read(spec());
        const reference = await referenceOf(b());
        expect(reading.resolved.configDigest).toBe(b().id);
        expect(reading.resolved.config).toEqual(reference.resolved.config);
        expect(reading.resolved.layers.map((l) => l.diffId)).toEqual(b().diffIds);
        expect(reading.layers.map(layerView)).toEqual(reference.layers.map(layerView));
        expect(mergedPaths(reading)).toEqual(mergedPaths(reference));
        expect(reading.resolved.platform).toEqual({ os: "linux", architecture: "amd64" });
      });
    }

    it("the converted Docker >= 25 and containerd shapes resolve through their OCI index, layers match tar -t", async () => {
      for (const shape of ["docker25", "containerd"] as const) {
        const archive = `${base()}-${shape}.tar`;
        const { resolved, layers } = await read(`docker-archive:${archive}`);
        expect(resolved.manifestDigest, shape).toMatch(/^sha256:/);
        if (shape === "containerd") expect(resolved.indexDigest).toMatch(/^sha256:/);
        const rawManifest = execFileSync("tar", [
          "-xOf",
          archive,
          `blobs/sha256/${resolved.manifestDigest!.slice(7)}`,
        ]);
        expect(sha256(rawManifest)).toBe(resolved.manifestDigest);
        resolved.manifest.layers.forEach((descriptor, i) => {
          const member = `blobs/sha256/${descriptor.digest.slice(7)}`;
          const listing = pipe(
            `tar -xOf ${archive} ${member} | ${decompressCommand(descriptor.mediaType)} ${TAR_T}`,
          );
          expectLayerMatchesTar(layers[i]!, listing, `${shape} layer ${i + 1}`);
          expect(layers[i]!.compression).toBe(shape === "containerd" ? "gzip" : "none");
        });
      }
    });

    it("skopeo agrees on the docker save archive and the daemon (config digest and layer digests)", async () => {
      for (const spec of [`docker-archive:${b().legacy}`, `docker-daemon:${image.tag}`]) {
        const { resolved } = await read(spec);
        const skopeo = JSON.parse(run("skopeo", ["inspect", spec])) as { Layers: string[] };
        expect(
          resolved.manifest.layers.map((l) => l.digest),
          spec,
        ).toEqual(skopeo.Layers);
        const rawConfig = execFileSync("skopeo", ["inspect", "--config", "--raw", spec], {
          maxBuffer: 1 << 26,
        });
        expect(sha256(rawConfig), spec).toBe(resolved.configDigest);
      }
    });

    /** skopeo rewrites the config as an OCI config (dropping Docker-only fields), so its digest differs. */
    const skopeoSources: [string, () => string, () => string, string][] = [
      [
        "skopeo oci: (gzip layers)",
        () => `oci:${base()}-oci-gzip:v1`,
        () => `oci:${base()}-oci-gzip:v1`,
        "gzip",
      ],
      [
        "skopeo oci: (zstd layers)",
        () => `oci:${base()}-oci-zstd:v1`,
        () => `oci:${base()}-oci-zstd:v1`,
        "zstd",
      ],
      [
        "skopeo oci-archive:",
        () => `oci-archive:${base()}-oci.tar:v1`,
        () => `oci-archive:${base()}-oci.tar:v1`,
        "gzip",
      ],
      [
        "skopeo oci-archive: (zstd layers)",
        () => `oci-archive:${base()}-oci-zstd.tar:v1`,
        () => `oci-archive:${base()}-oci-zstd.tar:v1`,
        "zstd",
      ],
      [
        "skopeo oci-archive:, gzip-compressed",
        () => `oci-archive:${base()}-oci.tar.gz:v1`,
        () => `oci-archive:${base()}-oci.tar:v1`,
        "gzip",
      ],
    ];

    for (const [what, spec, skopeoSpec, compression] of skopeoSources) {
      it(`${what}: same image as skopeo inspect shows, same diffIDs and file lists`, async () => {
        const reading = await read(spec());
        const { resolved, layers } = reading;
        const reference = await referenceOf(b());
        const rawManifest = execFileSync("skopeo", ["inspect", "--raw", skopeoSpec()], {
          maxBuffer: 1 << 26,
        });
        const manifest = JSON.parse(rawManifest.toString("utf8")) as {
          config: { digest: string };
          layers: { digest: string }[];
        };
        const inspected = JSON.parse(run("skopeo", ["inspect", skopeoSpec()])) as {
          Digest: string;
          Layers: string[];
        };
        expect(resolved.manifestDigest).toBe(sha256(rawManifest));
        expect(resolved.manifestDigest).toBe(inspected.Digest);
        expect(resolved.configDigest).toBe(manifest.config.digest);
        expect(resolved.manifest.layers.map((l) => l.digest)).toEqual(inspected.Layers);
        const rawConfig = execFileSync("skopeo", ["inspect", "--config", "--raw", skopeoSpec()], {
          maxBuffer: 1 << 26,
        });
        expect(sha256(rawConfig)).toBe(resolved.configDigest);
        expect(semanticConfig(resolved.config)).toEqual(semanticConfig(reference.resolved.config));
        expect(resolved.layers.map((l) => l.diffId)).toEqual(b().diffIds);
        expect(layers.map((l) => l.compression)).toEqual(layers.map(() => compression));
        // Layers in a local file are read unhashed unless --verify-digests asks; a compressed
        // archive (.tar.gz) is streamed, and verified as it streams.
        const streamed = spec().endsWith(".tar.gz:v1");
        expect(layers.map((l) => l.digestVerified)).toEqual(layers.map(() => streamed));
        expect(layers.map(layerView)).toEqual(reference.layers.map(layerView));
        expect(mergedPaths(reading)).toEqual(mergedPaths(reference));
      });
    }

    it("skopeo OCI layouts: every layer blob matches tar -t", async () => {
      for (const layout of [`${base()}-oci-gzip`, `${base()}-oci-zstd`]) {
        const { resolved, layers } = await read(`oci:${layout}:v1`);
        resolved.manifest.layers.forEach((descriptor, i) => {
          const blob = join(layout, "blobs", "sha256", descriptor.digest.slice(7));
          expect(sha256(readFileSync(blob))).toBe(descriptor.digest);
          const listing = pipe(`cat ${blob} | ${decompressCommand(descriptor.mediaType)} ${TAR_T}`);
          expectLayerMatchesTar(layers[i]!, listing, `${layout} layer ${i + 1}`);
        });
      }
      const archive = `${base()}-oci.tar`;
      const { resolved, layers } = await read(`oci-archive:${archive}:v1`);
      resolved.manifest.layers.forEach((descriptor, i) => {
        const member = `blobs/sha256/${descriptor.digest.slice(7)}`;
        const listing = pipe(
          `tar -xOf ${archive} ${member} | ${decompressCommand(descriptor.mediaType)} ${TAR_T}`,
        );
        expectLayerMatchesTar(layers[i]!, listing, `oci-archive layer ${i + 1}`);
      });
    });
  });
}

describe("damaged images: one-line errors through the CLI", () => {
  /** `drydock inspect` from the built CLI (npm run test:e2e builds dist/ first). */
  const inspect = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, "bin", "drydock.js"), "inspect", ...args], {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { ...process.env, NO_COLOR: "1" },
    });
  const oneLineError = (stderr: string) =>
    stderr
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "");

  it("a docker save archive whose layer bytes no longer match the diffID: found with --verify-digests", async () => {
    const source = built.get(IMAGES[0]!.name)!.legacy;
    const copy = join(work, "damaged-legacy.tar");
    const archive = readFileSync(source);
    // The largest file in the first layer: change one byte of its content (headers stay valid).
    const members = await indexTarFile(source);
    const manifest = JSON.parse(pipe(`tar -xOf ${source} manifest.json`)) as { Layers: string[] }[];
    const layerMember = members.find((m) => m.name === symlinkTarget(source, manifest[0]!.Layers[0]!))!;
    const layerCopy = join(work, "damaged-layer.tar");
    writeFileSync(layerCopy, archive.subarray(layerMember.offset, layerMember.offset + layerMember.size));
    const biggest = (await indexTarFile(layerCopy))
      .filter((m) => m.type === "file")
      .sort((a, b) => b.size - a.size)[0]!;
    const at = layerMember.offset + biggest.offset + Math.floor(biggest.size / 2);
    archive[at] = archive[at]! ^ 0xff;
    writeFileSync(copy, archive);

    const seeking = inspect(`docker-archive:${copy}`, "--format", "json");
    expect(seeking.status, seeking.stderr).toBe(0);
    const report = JSON.parse(seeking.stdout) as { layers: { digestVerified: boolean }[] };
    expect(report.layers.length).toBeGreaterThan(0);
    expect(report.layers.every((l) => l.digestVerified === false)).toBe(true);

    const verifying = inspect(`docker-archive:${copy}`, "--verify-digests", "--format", "json");
    expect(verifying.status).toBe(1);
    const lines = oneLineError(verifying.stderr);
    expect(lines, verifying.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/layer\.tar: content does not match its digest/);

    const intact = inspect(`docker-archive:${source}`, "--verify-digests", "--format", "json");
    expect(intact.status, intact.stderr).toBe(0);
    const verified = JSON.parse(intact.stdout) as { layers: { digestVerified: boolean }[] };
    expect(verified.layers.length).toBeGreaterThan(0);
    expect(verified.layers.every((l) => l.digestVerified)).toBe(true);
  });

  for (const compression of ["gzip", "zstd"]) {
    it(`an OCI layout with a damaged ${compression} layer blob fails by default`, () => {
      const layout = join(work, `damaged-oci-${compression}`);
      rmSync(layout, { recursive: true, force: true });
      run("cp", ["-r", `${join(work, IMAGES[0]!.name)}-oci-${compression}`, layout]);
      const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8")) as {
        manifests: { digest: string }[];
      };
      const blobFile = (digest: string) => join(layout, "blobs", ...digest.split(":"));
      const manifest = JSON.parse(readFileSync(blobFile(index.manifests[0]!.digest), "utf8")) as {
        layers: { digest: string }[];
      };
      const layer = blobFile(manifest.layers[0]!.digest);
      const blob = readFileSync(layer);
      const middle = Math.floor(blob.length / 2);
      blob[middle] = blob[middle]! ^ 0xff;
      // skopeo writes blobs read-only
      rmSync(layer);
      writeFileSync(layer, blob);
      // Not hashed by default: gzip's CRC or zstd's frame checksum (skopeo writes one) notices,
      // and the layer is read again to report its digest.
      for (const flags of [[], ["--verify-digests"]]) {
        const result = inspect(`oci:${layout}:v1`, ...flags);
        expect(result.status).toBe(1);
        const lines = oneLineError(result.stderr);
        expect(lines, result.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/content does not match its digest/);
      }
    });
  }
});

describe("multi-image archives", () => {
  it("need a name, and say which images they hold", async () => {
    for (const archive of [
      multiArchive,
      `${multiArchive}.gz`,
      join(work, "multi-docker25.tar"),
      join(work, "multi-containerd.tar"),
    ]) {
      const error = await openImage(`docker-archive:${archive}`, { providers })
        .then((handle) => handle.resolve())
        .then(
          () => undefined,
          (e: Error & { code?: string }) => e,
        );
      expect(error?.code, archive).toBe("AMBIGUOUS_IMAGE");
      expect(error?.message).toContain("sources-alpine");
    }
  });
});

describe("the Docker daemon", () => {
  it("an image it lacks is IMAGE_NOT_FOUND", async () => {
    const error = await openImage("docker-daemon:drydock-e2e/no-such-image:0", { providers }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error?.code).toBe("IMAGE_NOT_FOUND");
  });

  it("a missing socket is DAEMON_UNAVAILABLE", async () => {
    const absent = defaultProviders({ daemon: { host: `unix://${join(work, "no-docker.sock")}` } });
    const error = await openImage(`docker-daemon:${IMAGES[0]!.tag}`, { providers: absent }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error?.code).toBe("DAEMON_UNAVAILABLE");
  });

  it("capture rules read the export again and return file contents", async () => {
    const handle = await openImage(`docker-daemon:${IMAGES[0]!.tag}`, { providers });
    const resolved = await handle.resolve();
    const layers = await handle.readLayers({
      capture: [{ matches: (p) => p === "/etc/os-release", maxBytes: 4096 }],
    });
    const base = layers.find((l) => l.index.captured.has("/etc/os-release"));
    expect(base?.index.captured.get("/etc/os-release")?.toString()).toContain("Alpine Linux");
    expect(resolved.layers).toHaveLength(layers.length);
    await handle.close?.();
  });
});
