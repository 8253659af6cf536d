/**
 * The image-read benchmark's inputs, built once and cached:
 *   - the Docker image `drydock-bench/image-read:<hash>` (bench/image-read/Dockerfile: Debian +
 *     OpenJDK + SciPy/pandas + nodejs + a node_modules tree installed on the host), rebuilt only
 *     when the Dockerfile or the node-deps lock file change (the hash is of those files);
 *   - in bench/corpus/image-read/<hash>/: `image.tar` (`docker save`), `oci-gzip/` and
 *     `oci-zstd/` (OCI layouts with gzip and zstd layers, by `skopeo copy`).
 * A local `docker-registry` (filesystem storage in a temp dir, plain HTTP on 127.0.0.1) is
 * started for each run and filled from the gzip layout, so the registry serves the very blobs
 * of (b).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));
const CACHE_ROOT = join(ROOT, "bench/corpus/image-read");
const IMAGE_NAME = "drydock-bench/image-read";
/** The tag inside the OCI layouts and the registry repository. */
const TAG = "1";

const docker = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

/** Hash of what the image is built from: a change in either rebuilds image and artifacts. */
function inputsHash() {
  const hash = createHash("sha256");
  for (const file of ["Dockerfile", "node-deps/package.json", "node-deps/package-lock.json"]) {
    hash.update(file).update(readFileSync(join(HERE, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

function imageExists(tag) {
  return spawnSync(docker, ["image", "inspect", tag], { stdio: "ignore" }).status === 0;
}

/** `docker build --network host` with node_modules installed on the host (`npm ci`). */
function buildImage(tag, log) {
  const context = mkdtempSync(join(tmpdir(), "drydock-bench-image-"));
  try {
    cpSync(join(HERE, "Dockerfile"), join(context, "Dockerfile"));
    cpSync(join(HERE, "node-deps/package.json"), join(context, "package.json"));
    cpSync(join(HERE, "node-deps/package-lock.json"), join(context, "package-lock.json"));
    log(`image: npm ci in ${context} (node_modules for the image)`);
    run(
      "npm",
      ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps", "--loglevel=error"],
      {
        cwd: context,
      },
    );
    log(`image: docker build ${tag}`);
    run(docker, ["build", "--network", "host", "-t", tag, context]);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Writes `target` through a temp sibling, so an interrupted run never leaves half a file. */
function produce(target, make) {
  if (existsSync(target)) return;
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  make(partial);
  renameSync(partial, target);
}

/**
 * Makes sure the image and its three on-disk forms exist; returns their paths.
 * @param {{log: (message: string) => void, rebuild?: boolean}} options
 */
export function ensureImageArtifacts({ log, rebuild = false }) {
  run("bash", [join(ROOT, "test/e2e/start-services.sh")], { stdio: ["ignore", "ignore", "inherit"] });
  const hash = inputsHash();
  const tag = `${IMAGE_NAME}:${hash}`;
  const dir = join(CACHE_ROOT, hash);
  if (rebuild) rmSync(dir, { recursive: true, force: true });
  if (rebuild || !imageExists(tag)) {
    run("bash", [join(ROOT, "test/e2e/base-images.sh")], { stdio: ["ignore", "ignore", "inherit"] });
    buildImage(tag, log);
  }
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, "image.tar");
  produce(archive, (partial) => {
    log(`image: docker save ${tag}`);
    run(docker, ["save", "-o", partial, tag]);
  });
  const layouts = {};
  for (const format of ["gzip", "zstd"]) {
    layouts[format] = join(dir, `oci-${format}`);
    produce(layouts[format], (partial) => {
      log(`image: skopeo copy to an OCI layout with ${format} layers`);
      run("skopeo", [
        "copy",
        "--quiet",
        "--dest-compress-format",
        format,
        `docker-archive:${archive}`,
        `oci:${partial}:${TAG}`,
      ]);
    });
  }
  // Drop artifacts of older inputs: each set is a few GB.
  for (const entry of existsSync(CACHE_ROOT) ? readdirSync(CACHE_ROOT) : []) {
    if (entry !== hash) rmSync(join(CACHE_ROOT, entry), { recursive: true, force: true });
  }
  return { tag, hash, dir, archive, ociGzip: layouts.gzip, ociZstd: layouts.zstd, ociTag: TAG };
}

/** Layer blob files of an OCI layout, in layer order (bottom first). */
export function layoutLayerBlobs(layout) {
  const blob = (digest) => join(layout, "blobs", ...digest.split(":"));
  const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8"));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), "utf8"));
  return manifest.layers.map((l) => ({ path: blob(l.digest), size: l.size, mediaType: l.mediaType }));
}

/** Layer tars of a legacy `docker save` archive, in order, as member names. */
export function archiveLayers(archive) {
  const listing = spawnSync("tar", ["-xOf", archive, "manifest.json"], { encoding: "utf8" });
  if (listing.status !== 0) throw new Error(`cannot read manifest.json from ${archive}`);
  return JSON.parse(listing.stdout)[0].Layers;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `docker-registry serve` (no auth, plain HTTP, storage in a temp dir) and pushes the gzip
 * layout to it with skopeo. Returns the image reference and a stop() that removes everything.
 */
export async function startRegistryWithImage(ociGzip, { log }) {
  const dir = mkdtempSync(join(tmpdir(), "drydock-bench-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "storage")}`,
      "http:",
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString("hex")}`,
      "",
    ].join("\n"),
  );
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk) => {
    output = (output + chunk).slice(-8000);
  });
  let exited = false;
  const exit = new Promise((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited) throw new Error(`docker-registry exited at start:\n${output}`);
      const ok = await fetch(`http://${host}/v2/`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${host}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reference = `${host}/bench/image-read:${TAG}`;
    log(`registry: docker-registry on ${host}; skopeo copy oci-gzip -> ${reference}`);
    run("skopeo", [
      "copy",
      "--quiet",
      "--dest-tls-verify=false",
      `oci:${ociGzip}:${TAG}`,
      `docker://${reference}`,
    ]);
    return { host, reference, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
