/**
 * The library entry point: `sbom({ target })` opens an image (any source openImage knows) or
 * walks a directory, catalogs it, and returns the SbomResult; `renderSbom` turns it into
 * documents. A target is a directory when it says `dir:PATH`, or when it is a directory that
 * is not an OCI image layout.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { openImage } from "../image/open.ts";
import type { ImageSourceProviders } from "../image/providers.ts";
import type { Platform } from "../image/types.ts";
import { type SbomOptions, type SbomResult, sbomDirectory, sbomImage } from "./sbom.ts";

export interface SbomRequest extends SbomOptions {
  /** Image spec (docker-archive:, oci:, registry:, docker-daemon:, a path, a reference) or dir:PATH. */
  target: string;
  /** Resolves relative directory paths. */
  cwd: string;
  platform?: Platform;
  providers?: ImageSourceProviders;
}

export function directoryTarget(target: string, cwd: string): string | undefined {
  if (target.startsWith("dir:")) return target.slice(4);
  const full = resolve(cwd, target);
  try {
    if (statSync(full).isDirectory() && !existsSync(join(full, "oci-layout"))) return target;
  } catch {
    return undefined;
  }
  return undefined;
}

export async function sbom(request: SbomRequest): Promise<SbomResult> {
  const directory = directoryTarget(request.target, request.cwd);
  if (directory !== undefined) return sbomDirectory(directory, { ...request, cwd: request.cwd });
  const handle = await openImage(request.target, {
    ...(request.platform ? { platform: request.platform } : {}),
    ...(request.providers ? { providers: request.providers } : {}),
  });
  try {
    return await sbomImage(handle, request.target, request);
  } finally {
    await handle.close?.();
  }
}
