import { afterEach, describe, expect, it } from "vitest";
import { DrydockError } from "../../errors.ts";
import { openImage } from "../open.ts";
import { defaultProviders } from "../providers.ts";
import { parseReference } from "../reference.ts";
import { MEDIA_TYPES, type Platform } from "../types.ts";
import type { RegistryOptions } from "./client.ts";
import { listRegistryPlatforms, registryProvider } from "./provider.ts";
import { FakeRegistry } from "./test-helpers/fake-registry.ts";

const FAST: RegistryOptions = { timeoutMs: 2000, retries: 1, retryBaseMs: 5 };
const HOST_PLATFORM: Platform = { os: "linux", architecture: "amd64" };
const PLATFORMS: Platform[] = [
  { os: "linux", architecture: "amd64" },
  { os: "linux", architecture: "arm64", variant: "v8" },
  { os: "linux", architecture: "arm", variant: "v7" },
];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function startRegistry(): Promise<FakeRegistry> {
  const registry = await FakeRegistry.start({ auth: { kind: "bearer" } });
  cleanup.push(() => registry.close());
  return registry;
}

async function open(registry: FakeRegistry, name: string, platform?: Platform) {
  const handle = await registryProvider(FAST)(parseReference(`${registry.host}/${name}`), {
    platform,
    hostPlatform: HOST_PLATFORM,
  });
  cleanup.push(async () => handle.close?.());
  return handle;
}

describe("registryProvider", () => {
  it("resolves an index to each platform, and reads that platform's layer", async () => {
    const registry = await startRegistry();
    const { index, images } = await registry.putIndex("test/multi", "1", PLATFORMS);
    for (const [i, platform] of PLATFORMS.entries()) {
      const handle = await open(registry, "test/multi:1", platform);
      const resolved = await handle.resolve();
      expect(resolved).toMatchObject({
        source: `registry:${registry.host}/test/multi:1`,
        reference: `${registry.host}/test/multi:1`,
        manifestDigest: images[i]!.manifest.digest,
        indexDigest: index.digest,
        mediaType: MEDIA_TYPES.ociManifest,
        configDigest: images[i]!.config.digest,
        platform,
      });
      expect(resolved.config.architecture).toBe(platform.architecture);
      expect(resolved.layers).toHaveLength(1);
      expect(resolved.layers[0]!.descriptor.digest).toBe(images[i]!.layer.digest);
      const [layer] = await handle.readLayers({
        capture: [{ matches: (p) => p === "/etc/platform", maxBytes: 100 }],
      });
      expect(layer!.index.paths).toContain("/etc/platform");
      expect(layer!.index.captured.get("/etc/platform")?.toString()).toBe(
        `${platform.architecture}${platform.variant ?? ""}\n`,
      );
    }
    const host = await open(registry, "test/multi:1");
    expect((await host.resolve()).platform).toEqual(HOST_PLATFORM);
  });

  it("lists the available platforms when the one asked for is missing", async () => {
    const registry = await startRegistry();
    await registry.putIndex("test/multi", "1", PLATFORMS);
    const error = await open(registry, "test/multi:1", { os: "linux", architecture: "s390x" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DrydockError);
    expect((error as DrydockError).code).toBe("PLATFORM_NOT_FOUND");
    expect((error as DrydockError).message).toBe(
      `${registry.host}/test/multi:1: no image for linux/s390x (available: linux/amd64, linux/arm64/v8, linux/arm/v7); choose one with --platform`,
    );
  });

  it("follows nested indexes and Docker manifest lists", async () => {
    const registry = await startRegistry();
    const { index, images } = await registry.putIndex("test/nested", undefined, PLATFORMS);
    registry.putManifest(
      "test/nested",
      "outer",
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerManifestList,
        manifests: [{ ...index, mediaType: MEDIA_TYPES.ociIndex }],
      },
      MEDIA_TYPES.dockerManifestList,
    );
    const resolved = await (await open(registry, "test/nested:outer", PLATFORMS[2])).resolve();
    expect(resolved.manifestDigest).toBe(images[2]!.manifest.digest);
    expect(resolved.indexDigest).toBe(index.digest);
    expect(resolved.platform).toEqual(PLATFORMS[2]);
  });

  it("rejects an index entry whose size does not match the manifest", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage("test/bad", undefined, HOST_PLATFORM);
    registry.putManifest(
      "test/bad",
      "1",
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [{ ...image.manifest, size: 1, platform: HOST_PLATFORM }],
      },
      MEDIA_TYPES.ociIndex,
    );
    const error = (await open(registry, "test/bad:1").catch((e: unknown) => e)) as DrydockError;
    expect(error.code).toBe("BAD_DOCUMENT");
    expect(error.message).toMatch(/has \d+ bytes, the index says 1/);
  });

  it("is the registry entry of defaultProviders, for registry: and docker:// specs", async () => {
    const registry = await startRegistry();
    const image = await registry.putImage("test/app", "1", HOST_PLATFORM);
    const providers = defaultProviders({ registry: FAST });
    for (const spec of [`registry:${registry.host}/test/app:1`, `docker://${registry.host}/test/app:1`]) {
      const handle = await openImage(spec, { providers });
      cleanup.push(async () => handle.close?.());
      expect((await handle.resolve()).manifestDigest).toBe(image.manifest.digest);
    }
  });
});

describe("listRegistryPlatforms", () => {
  it("lists an index's platforms without attestations, and a single image's from its config", async () => {
    const registry = await startRegistry();
    const { index, images } = await registry.putIndex("test/multi", "1", PLATFORMS);
    const document = JSON.parse(registry.manifests.get(`test/multi@${index.digest}`)!.bytes.toString());
    document.manifests.push({ ...images[0]!.manifest, platform: { os: "unknown", architecture: "unknown" } });
    registry.putManifest("test/multi", "attested", document, MEDIA_TYPES.ociIndex);
    const listed = await listRegistryPlatforms(`${registry.host}/test/multi:attested`, FAST);
    expect(listed.reference).toBe(`${registry.host}/test/multi:attested`);
    expect(listed.mediaType).toBe(MEDIA_TYPES.ociIndex);
    expect(listed.manifests.map((m) => m.platform)).toEqual(PLATFORMS);
    expect(listed.manifests.map((m) => m.digest)).toEqual(images.map((i) => i.manifest.digest));

    const single = await registry.putImage("test/single", "1", PLATFORMS[1]!);
    const one = await listRegistryPlatforms(parseReference(`${registry.host}/test/single:1`), FAST);
    expect(one.digest).toBe(single.manifest.digest);
    expect(one.manifests).toEqual([
      {
        platform: PLATFORMS[1],
        digest: single.manifest.digest,
        mediaType: MEDIA_TYPES.ociManifest,
        size: single.manifest.size,
      },
    ]);
  });
});
