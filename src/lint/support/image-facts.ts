/**
 * What drydock knows about an image from its name alone, without asking a registry: its
 * platforms (DD106), the environment variables it sets (UndefinedVar, DD114) and whether its
 * userland is GNU or BusyBox (fixers that pick a shell or a wget flag). The lists are in
 * ../data/base-images.ts.
 */

import type { Dockerfile } from "../../dockerfile/parse.ts";
import {
  AMD64_ONLY_HUB_IMAGES,
  BUSYBOX_IMAGES,
  GNU_IMAGES,
  LINUX_HUB_IMAGES,
  LINUX_REGISTRY_PREFIXES,
  LINUX_TAG,
  PATH_ONLY_HUB_IMAGES,
  WINDOWS_TAG,
} from "../data/base-images.ts";
import { type ImageRef, imageName } from "./images.ts";
import type { Platform } from "./platforms.ts";
import { stageImage } from "./stages.ts";

/** What is known of an image's platforms; empty when nothing is. */
export function knownImagePlatform(reference: string): Platform {
  const { registry, repository, tag } = imageName(reference);
  const full = `${registry}/${repository}`;
  if (registry === "mcr.microsoft.com" && /^(?:windows(?:\/|$)|dotnet\/framework\/)/.test(repository)) {
    return { os: "windows" };
  }
  if (tag && WINDOWS_TAG.test(tag)) return { os: "windows" };
  if (registry === "docker.io" && AMD64_ONLY_HUB_IMAGES.has(repository))
    return { os: "linux", arch: "amd64" };
  if (registry === "docker.io" && LINUX_HUB_IMAGES.has(repository)) return { os: "linux" };
  if (LINUX_REGISTRY_PREFIXES.some((prefix) => full.startsWith(prefix))) return { os: "linux" };
  if (tag && LINUX_TAG.test(tag)) return { os: "linux" };
  return {};
}

/** The environment variable names an image is known to define, or null when unknown. */
export function knownImageEnv(reference: string): Set<string> | null {
  if (reference === "scratch") return new Set(["PATH"]);
  const { registry, repository } = imageName(reference);
  if (registry === "docker.io" && PATH_ONLY_HUB_IMAGES.has(repository)) return new Set(["PATH"]);
  return null;
}

export type Userland = "gnu" | "busybox";

/** GNU (bash, GNU wget) or BusyBox (ash, BusyBox wget) userland; null when unknown. */
export function imageUserland(ref: ImageRef): Userland | null {
  const tag = (ref.tag ?? "").toLowerCase();
  if (BUSYBOX_IMAGES.has(ref.path) || tag.includes("alpine")) return "busybox";
  if (tag.includes("windows") || tag.includes("nanoserver")) return null;
  if (GNU_IMAGES.has(ref.path) || /^redhat\/ubi\d+(-minimal)?$/.test(ref.path)) return "gnu";
  return null;
}

/** Alpine-based images (they have /bin/ash, BusyBox's shell). */
export function isAlpineImage(ref: ImageRef): boolean {
  return ref.path === "alpine" || /alpine/i.test(ref.tag ?? "");
}

/** The userland of stage `stageIndex` (following `FROM <stage>`), or null when unknown. */
export function stageUserland(df: Dockerfile, stageIndex: number): Userland | null {
  const image = stageImage(df, stageIndex);
  return image ? imageUserland(image) : null;
}

/** True when stage `stageIndex` is built on an Alpine image. */
export function stageIsAlpine(df: Dockerfile, stageIndex: number): boolean {
  const image = stageImage(df, stageIndex);
  return image !== null && isAlpineImage(image);
}
