import { arch } from "node:os";
import { DrydockError } from "../../errors.ts";
import type { Descriptor, HistoryEntry, ImageConfig, LayerRef, Platform } from "../types.ts";
import { platformString } from "../types.ts";

/** The platform of this machine in OCI terms (Go's GOARCH names). */
export function hostPlatform(): Platform {
  const map: Record<string, Platform> = {
    x64: { os: "linux", architecture: "amd64" },
    arm64: { os: "linux", architecture: "arm64" },
    arm: { os: "linux", architecture: "arm", variant: "v7" },
    ia32: { os: "linux", architecture: "386" },
    ppc64: { os: "linux", architecture: "ppc64le" },
    s390x: { os: "linux", architecture: "s390x" },
    riscv64: { os: "linux", architecture: "riscv64" },
  };
  return map[arch()] ?? { os: "linux", architecture: arch() };
}

/** arm64 manifests often omit the `v8` variant; treat it as the default. */
function sameVariant(a?: string, b?: string, architecture?: string): boolean {
  const norm = (v?: string) => (architecture === "arm64" && (v === undefined || v === "v8") ? "v8" : v);
  return norm(a) === norm(b) || a === undefined || b === undefined;
}

export function platformMatches(candidate: Platform | undefined, wanted: Platform): boolean {
  if (!candidate) return false;
  return (
    candidate.os === wanted.os &&
    candidate.architecture === wanted.architecture &&
    sameVariant(candidate.variant, wanted.variant, wanted.architecture)
  );
}

/**
 * Picks the manifest for a platform from index entries (attestation manifests, with platform
 * unknown/unknown, are never chosen). The error lists what is available.
 */
export function choosePlatform(
  manifests: Descriptor[],
  options: { platform?: Platform; hostPlatform: Platform },
  label: string,
): Descriptor {
  const real = manifests.filter((d) => d.platform?.os !== "unknown");
  if (real.length === 1 && !real[0]!.platform) return real[0]!;
  const wanted = options.platform ?? options.hostPlatform;
  const exact = real.filter((d) => d.platform && platformString(d.platform) === platformString(wanted));
  const found = exact[0] ?? real.find((d) => platformMatches(d.platform, wanted));
  if (found) return found;
  const available = real.map((d) => (d.platform ? platformString(d.platform) : d.digest)).join(", ");
  throw new DrydockError(
    "PLATFORM_NOT_FOUND",
    `${label}: no image for ${platformString(wanted)} (available: ${available || "none"}); choose one with --platform`,
  );
}

/** Platforms an index offers (attestations left out). */
export function listPlatforms(manifests: Descriptor[]): Platform[] {
  return manifests.filter((d) => d.platform && d.platform.os !== "unknown").map((d) => d.platform!);
}

/**
 * Pairs manifest layers with the config's diff IDs and the history entries that created them
 * (history entries with `empty_layer` make no layer).
 */
export function layerRefs(layers: Descriptor[], config: ImageConfig, label: string): LayerRef[] {
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== layers.length) {
    throw new DrydockError(
      "BAD_DOCUMENT",
      `${label}: the manifest has ${layers.length} layers but the config lists ${diffIds.length} diff IDs`,
    );
  }
  const producing: HistoryEntry[] = (config.history ?? []).filter((h) => !h.empty_layer);
  const aligned = producing.length === layers.length;
  return layers.map((descriptor, index) => ({
    index,
    descriptor,
    diffId: diffIds[index]!,
    ...(aligned ? { history: producing[index] } : {}),
  }));
}
