/**
 * Image sources by transport, as skopeo names them:
 *   docker-archive:PATH[:REF]   `docker save` output (all three layouts)
 *   oci:DIR[:TAG]               OCI image layout directory
 *   oci-archive:PATH[:TAG]      OCI image layout in a tar
 *   registry:REF, docker://REF  a registry (Distribution API v2)
 *   docker-daemon:REF           the Docker Engine API
 * A bare path is detected (directory = OCI layout, tar = docker or OCI archive); a bare
 * reference tries the local daemon, then the registry.
 */
import { existsSync, statSync } from "node:fs";
import { open as openFile } from "node:fs/promises";
import { DrydockError, UsageError } from "../errors.ts";
import { type ImageHandle, randomAccessHandle } from "./handle.ts";
import { defaultProviders, type ImageSourceProviders } from "./providers.ts";
import { parseReference } from "./reference.ts";
import { resolveFromStore } from "./sources/archive.ts";
import { hostPlatform } from "./sources/resolve-common.ts";
import { DirectoryStore, TarFileStore } from "./sources/store.ts";
import type { Platform } from "./types.ts";

export type Transport = "docker-archive" | "oci" | "oci-archive" | "registry" | "docker-daemon";

export interface ImageSpec {
  transport: Transport;
  /** File or directory for archive transports. */
  path?: string;
  /** Reference (tag or full name) inside an archive, or the image reference. */
  reference?: string;
}

const TRANSPORTS: Record<string, Transport> = {
  "docker-archive": "docker-archive",
  oci: "oci",
  "oci-archive": "oci-archive",
  registry: "registry",
  docker: "registry",
  "docker-daemon": "docker-daemon",
};

/** Splits `PATH[:REF]` where PATH itself may contain colons: the longest existing prefix wins. */
function splitPathAndRef(rest: string): { path: string; reference?: string } {
  if (existsSync(rest)) return { path: rest };
  for (let i = rest.length - 1; i > 0; i--) {
    if (rest[i] === ":" && existsSync(rest.slice(0, i))) {
      return { path: rest.slice(0, i), reference: rest.slice(i + 1) || undefined };
    }
  }
  return { path: rest };
}

/** Parses a user's image argument into a transport and its parts (no I/O beyond stat). */
export function parseImageSpec(text: string): ImageSpec | { transport: "auto"; reference: string } {
  const match = /^([a-z-]+):(\/\/)?(.*)$/.exec(text);
  const transport = match ? TRANSPORTS[match[1]!] : undefined;
  if (match && transport && !(match[1] === "docker" && !match[2])) {
    const rest = match[3]!;
    if (transport === "registry" || transport === "docker-daemon") {
      if (!rest) throw new UsageError(`${match[1]}: needs an image reference`);
      return { transport, reference: rest };
    }
    const { path, reference } = splitPathAndRef(rest);
    return { transport, path, reference };
  }
  if (existsSync(text)) {
    return statSync(text).isDirectory()
      ? { transport: "oci", path: text }
      : { transport: "docker-archive", path: text };
  }
  if (/^(\.{0,2}\/|~)|\.(tar|tgz|tar\.gz|tar\.zst)$/.test(text)) {
    throw new UsageError(`${text}: no such file or directory`);
  }
  return { transport: "auto", reference: text };
}

export interface OpenImageOptions {
  platform?: Platform;
  providers?: ImageSourceProviders;
  /**
   * Check the digests of the layers of local archives and layouts: hash every byte, and read
   * uncompressed layers whole instead of seeking through them (ReadLayersOptions.verifyLocalLayers,
   * which explains the default). Default: `providers.verifyLocalLayers`, else false.
   */
  verifyLocalLayers?: boolean;
}

/** Opens an image from any source and resolves it to one platform (no layer is read yet). */
export async function openImage(text: string, options: OpenImageOptions = {}): Promise<ImageHandle> {
  const spec = parseImageSpec(text);
  const providers = options.providers ?? defaultProviders();
  const resolveOptions = { platform: options.platform, hostPlatform: hostPlatform() };
  const readDefaults = { verifyLocalLayers: options.verifyLocalLayers ?? providers.verifyLocalLayers };
  switch (spec.transport) {
    case "oci": {
      if (!spec.path || !existsSync(spec.path)) throw new UsageError(`oci:${spec.path}: no such directory`);
      const store = await DirectoryStore.open(spec.path);
      if (!store.has("index.json"))
        throw new UsageError(`${spec.path}: not an OCI image layout (no index.json)`);
      const { resolved, blobs } = await resolveFromStore(store, "oci", {
        ...resolveOptions,
        reference: spec.reference,
      });
      return randomAccessHandle(resolved, blobs, readDefaults);
    }
    case "docker-archive":
    case "oci-archive": {
      if (!spec.path || !existsSync(spec.path))
        throw new UsageError(`${spec.transport}:${spec.path}: no such file`);
      if (await isCompressed(spec.path)) {
        return providers.compressedArchive(spec.path, spec.transport, {
          ...resolveOptions,
          reference: spec.reference,
        });
      }
      const store = await TarFileStore.open(spec.path);
      const { resolved, blobs } = await resolveFromStore(store, spec.transport, {
        ...resolveOptions,
        reference: spec.reference,
      });
      return randomAccessHandle(resolved, blobs, readDefaults);
    }
    case "registry":
      return providers.registry(parseReference(spec.reference!), resolveOptions);
    case "docker-daemon":
      return providers.daemon(spec.reference!, resolveOptions);
    case "auto": {
      const reference = parseReference(spec.reference);
      try {
        return await providers.daemon(spec.reference, resolveOptions);
      } catch (error) {
        if (
          !(error instanceof DrydockError) ||
          !["DAEMON_UNAVAILABLE", "IMAGE_NOT_FOUND"].includes(error.code)
        ) {
          throw error;
        }
      }
      return providers.registry(reference, resolveOptions);
    }
  }
}

async function isCompressed(path: string): Promise<boolean> {
  const handle = await openFile(path, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return (head[0] === 0x1f && head[1] === 0x8b) || head.readUInt32BE(0) === 0x28b52ffd;
  } finally {
    await handle.close();
  }
}
