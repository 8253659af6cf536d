/**
 * drydock's registry client against real registries: Debian's `docker-registry` with no auth,
 * with htpasswd Basic auth and with token auth (a token server in this test signs RS256 JWTs).
 * Images are pushed with skopeo (alpine:3.20 from the local engine, and a three-platform index
 * built from the Alpine minirootfs fixtures); drydock must read the digests skopeo reports, the
 * config and layers the engine and the fixtures have, and refuse wrong credentials.
 *
 * Needs docker-registry, skopeo, openssl and the engine's alpine:3.20 (`.ci/run` prepares them:
 * test/e2e/start-services.sh and base-images.sh). A missing piece fails the suite; it never skips.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DrydockError } from "../../src/errors.ts";
import type { ImageHandle } from "../../src/image/handle.ts";
import { parseReference } from "../../src/image/reference.ts";
import type { RegistryOptions } from "../../src/image/registry/client.ts";
import { listRegistryPlatforms, registryProvider } from "../../src/image/registry/provider.ts";
import type { Platform } from "../../src/image/types.ts";
import { fixturesDir } from "../../src/test-helpers/shared.ts";
import {
  type RegistryProcess,
  requireTool,
  startDockerRegistry,
  startTokenServer,
  type TokenServer,
  writeHtpasswd,
} from "./helpers/docker-registry.ts";
import { ALPINE_ARCHES, buildOciLayout, type OciLayout } from "./helpers/oci-layout.ts";

const SOURCE_IMAGE = "alpine:3.20";
const REPO = "test/alpine";
const TAG = "3.20";
const USER = "alice";
const PASSWORD = "e2e-Passw0rd!";
const HOST_PLATFORM: Platform = { os: "linux", architecture: "amd64" };
const docker = spawnSync("sh", ["-c", "[ -x /usr/bin/docker ] && echo /usr/bin/docker || echo docker"], {
  encoding: "utf8",
}).stdout.trim();

type Mode = "none" | "basic" | "token";
const registries = {} as Record<Mode, RegistryProcess>;
let tokenServer: TokenServer;
let work: string;
let emptyHome: string;
let layout: OciLayout;

/**
 * Runs a tool without blocking the event loop: the token server lives in this process, and
 * skopeo asks it for tokens while it runs.
 */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else
        reject(
          new Error(`${command} ${args.join(" ")} failed (${code}):\n${Buffer.concat(err).toString("utf8")}`),
        );
    });
  });
}

function credsArgs(flag: string, mode: Mode): string[] {
  return mode === "none" ? [] : [flag, `${USER}:${PASSWORD}`];
}

function skopeoInspect(mode: Mode, ref: string, extra: string[] = []): Promise<string> {
  return run("skopeo", [
    "inspect",
    "--tls-verify=false",
    ...credsArgs("--creds", mode),
    ...extra,
    `docker://${registries[mode].host}/${ref}`,
  ]);
}

const sha256 = (text: string | Buffer) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** Options that see no machine-wide docker config: only what the test passes. */
function options(mode: Mode, extra: RegistryOptions = {}): RegistryOptions {
  return {
    homeDir: emptyHome,
    env: {},
    timeoutMs: 30_000,
    ...(mode === "none" ? {} : { username: USER, password: PASSWORD }),
    ...extra,
  };
}

const opened: ImageHandle[] = [];
async function open(
  mode: Mode,
  ref: string,
  opts: RegistryOptions,
  platform?: Platform,
): Promise<ImageHandle> {
  const handle = await registryProvider(opts)(parseReference(`${registries[mode].host}/${ref}`), {
    platform,
    hostPlatform: HOST_PLATFORM,
  });
  opened.push(handle);
  return handle;
}

async function failure(promise: Promise<unknown>): Promise<DrydockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DrydockError);
  return error as DrydockError;
}

/** A tar member name as drydock's layer index writes it: `/bin/sh`, no `.`, no trailing slash. */
function indexPath(name: string): string {
  return `/${name
    .split("/")
    .filter((part) => part && part !== ".")
    .join("/")}`;
}

async function tarListing(tarGz: string): Promise<string[]> {
  const names = (await run("tar", ["-tzf", tarGz])).split("\n").filter(Boolean);
  return names
    .map(indexPath)
    .filter((path) => path !== "/")
    .sort();
}

/** A setup failure fails every test (with its message) rather than leaving them skipped. */
let setupError: unknown;
beforeEach(() => {
  if (setupError) throw setupError;
});

beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
});

async function setUp(): Promise<void> {
  requireTool("docker-registry", "install Debian's docker-registry package (.ci/run does)");
  requireTool("skopeo", "install the skopeo package (.ci/run does)");
  requireTool("openssl", "install the openssl package");
  const inspect = spawnSync(docker, ["image", "inspect", SOURCE_IMAGE], { encoding: "utf8" });
  if (inspect.status !== 0) {
    throw new Error(
      `${SOURCE_IMAGE} is not in the Docker engine: run test/e2e/start-services.sh and test/e2e/base-images.sh`,
    );
  }
  work = mkdtempSync(join(tmpdir(), "drydock-e2e-registry-"));
  emptyHome = join(work, "home");
  mkdirSync(emptyHome);

  registries.none = await startDockerRegistry(join(work, "none"), { kind: "none" });
  mkdirSync(join(work, "basic"));
  await writeHtpasswd(join(work, "basic", "htpasswd"), { [USER]: PASSWORD });
  registries.basic = await startDockerRegistry(join(work, "basic"), {
    kind: "htpasswd",
    path: join(work, "basic", "htpasswd"),
  });
  tokenServer = await startTokenServer(join(work, "token-server"), { [USER]: PASSWORD });
  registries.token = await startDockerRegistry(join(work, "token"), {
    kind: "token",
    realm: tokenServer.realm,
    service: tokenServer.service,
    issuer: tokenServer.issuer,
    rootCertBundle: tokenServer.certPath,
  });

  for (const mode of ["none", "basic", "token"] as const) {
    await run("skopeo", [
      "copy",
      "--quiet",
      "--insecure-policy",
      "--dest-tls-verify=false",
      ...credsArgs("--dest-creds", mode),
      `docker-daemon:${SOURCE_IMAGE}`,
      `docker://${registries[mode].host}/${REPO}:${TAG}`,
    ]);
  }

  const fixtures = join(fixturesDir(), "alpine");
  layout = await buildOciLayout(
    join(work, "layout"),
    TAG,
    ALPINE_ARCHES.map(({ platform, alpineArch }) => ({
      platform,
      layerTarGz: join(fixtures, `alpine-minirootfs-3.20.3-${alpineArch}.tar.gz`),
    })),
  );
  for (const mode of ["none", "token"] as const) {
    await run("skopeo", [
      "copy",
      "--quiet",
      "--all",
      "--insecure-policy",
      "--dest-tls-verify=false",
      ...credsArgs("--dest-creds", mode),
      `oci:${layout.dir}:${TAG}`,
      `docker://${registries[mode].host}/test/multi:${TAG}`,
    ]);
  }
}

afterAll(async () => {
  for (const handle of opened) await handle.close?.();
  for (const registry of Object.values(registries)) await registry.stop();
  await tokenServer?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(["none", "basic", "token"] as const)("docker-registry with auth %s", (mode) => {
  it("gives the manifest, config and layer digests skopeo reports, and the engine's diff IDs", async () => {
    const inspected = JSON.parse(await skopeoInspect(mode, `${REPO}:${TAG}`)) as {
      Digest: string;
      Layers: string[];
    };
    const rawManifest = await skopeoInspect(mode, `${REPO}:${TAG}`, ["--raw"]);
    const rawConfig = await skopeoInspect(mode, `${REPO}:${TAG}`, ["--config", "--raw"]);
    const engineDiffIds = JSON.parse(
      await run(docker, ["image", "inspect", SOURCE_IMAGE, "--format", "{{json .RootFS.Layers}}"]),
    );

    const handle = await open(mode, `${REPO}:${TAG}`, options(mode));
    const resolved = await handle.resolve();
    expect(resolved.source).toBe(`registry:${registries[mode].host}/${REPO}:${TAG}`);
    expect(resolved.manifestDigest).toBe(inspected.Digest);
    expect(resolved.manifestDigest).toBe(sha256(rawManifest));
    expect(resolved.configDigest).toBe(sha256(rawConfig));
    const engineConfig = JSON.parse(rawConfig);
    expect(resolved.config.architecture).toBe(engineConfig.architecture);
    expect(resolved.config.config?.Cmd).toEqual(["/bin/sh"]);
    expect(resolved.config.rootfs.diff_ids).toEqual(engineDiffIds);
    expect(resolved.layers.map((l) => l.descriptor.digest)).toEqual(inspected.Layers);
    expect(resolved.layers.map((l) => l.diffId)).toEqual(engineDiffIds);
    expect(resolved.platform).toEqual({ os: "linux", architecture: "amd64" });

    const layers = await handle.readLayers();
    expect(layers).toHaveLength(1);
    expect(layers[0]!.index.paths).toContain("/etc/alpine-release");
    expect(layers[0]!.index.paths).toContain("/bin/busybox");
    expect(layers[0]!.compressedSize).toBe(resolved.layers[0]!.descriptor.size);
  });
});

// The three-platform index is pushed to the open and the token registries.
describe.each(["none", "token"] as const)("multi-platform index in docker-registry with auth %s", (mode) => {
  it("gives each platform's image, with the fixtures' files", async () => {
    for (const image of layout.images) {
      const handle = await open(mode, `test/multi:${TAG}`, options(mode), image.platform);
      const resolved = await handle.resolve();
      expect(resolved.indexDigest).toBe(layout.index.digest);
      expect(resolved.manifestDigest).toBe(image.manifest.digest);
      expect(resolved.configDigest).toBe(image.config.digest);
      expect(resolved.config.architecture).toBe(image.platform.architecture);
      expect(resolved.config.variant).toBe(image.platform.variant);
      expect(resolved.platform).toEqual(image.platform);
      expect(resolved.layers.map((l) => [l.descriptor.digest, l.diffId])).toEqual([
        [image.layer.digest, image.diffId],
      ]);
      const [layer] = await handle.readLayers();
      const fixture = ALPINE_ARCHES.find((a) => a.platform.architecture === image.platform.architecture)!;
      const listing = await tarListing(
        join(fixturesDir(), "alpine", `alpine-minirootfs-3.20.3-${fixture.alpineArch}.tar.gz`),
      );
      expect([...layer!.index.paths].filter((p) => p !== "/").sort()).toEqual(listing);
    }
    const missing = await failure(
      open(mode, `test/multi:${TAG}`, options(mode), { os: "linux", architecture: "s390x" }),
    );
    expect(missing.code).toBe("PLATFORM_NOT_FOUND");
    expect(missing.message).toMatch(
      /no image for linux\/s390x \(available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7\)/,
    );

    const listed = await listRegistryPlatforms(`${registries[mode].host}/test/multi:${TAG}`, options(mode));
    expect(listed.digest).toBe(sha256(await skopeoInspect(mode, `test/multi:${TAG}`, ["--raw"])));
    expect(listed.digest).toBe(layout.index.digest);
    expect(listed.manifests.map((m) => m.platform)).toEqual(layout.images.map((i) => i.platform));
  });
});

describe("credentials against real registries", () => {
  it("refuses missing and wrong credentials with REGISTRY_UNAUTHORIZED, never echoing them", async () => {
    for (const mode of ["basic", "token"] as const) {
      const anonymous = await failure(open(mode, `${REPO}:${TAG}`, options("none")));
      expect(anonymous.code).toBe("REGISTRY_UNAUTHORIZED");
      const wrong = await failure(
        open(mode, `${REPO}:${TAG}`, options(mode, { password: "not-the-Passw0rd" })),
      );
      expect(wrong.code).toBe("REGISTRY_UNAUTHORIZED");
      expect(wrong.message).not.toContain("not-the-Passw0rd");
      expect(wrong.message).not.toContain(Buffer.from(`${USER}:not-the-Passw0rd`).toString("base64"));
    }
  });

  it("asks the token server for the repository's pull scope with the user's credentials", async () => {
    tokenServer.requests.length = 0;
    await (await open("token", `${REPO}:${TAG}`, options("token"))).resolve();
    expect(tokenServer.requests).toEqual([
      { scopes: [`repository:${REPO}:pull`], service: tokenServer.service, account: USER },
    ]);
  });

  it("reads credentials from DOCKER_CONFIG's config.json", async () => {
    for (const mode of ["basic", "token"] as const) {
      const configDir = join(work, `docker-config-${mode}`);
      mkdirSync(configDir, { recursive: true });
      const auth = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");
      writeFileSync(
        join(configDir, "config.json"),
        JSON.stringify({ auths: { [registries[mode].host]: { auth } } }),
      );
      const handle = await open(mode, `${REPO}:${TAG}`, {
        homeDir: emptyHome,
        env: { DOCKER_CONFIG: configDir },
      });
      expect((await handle.resolve()).layers).toHaveLength(1);
    }
  });
});
