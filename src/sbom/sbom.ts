/**
 * `drydock sbom`: every package in an image or a directory, with where it was found and the
 * layer that brought it. One pass over the layers (handle.readLayers with every cataloger's
 * capture rules), then the catalogers run over the captured files in the chosen scope.
 * Language packages whose files an OS package installed (Debian's python3-numpy, Alpine's
 * py3-*) are reported once: under the OS package (`metadata.contains`), with a relationship.
 */
import { stat } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import { UsageError } from "../errors.ts";
import type { ImageHandle } from "../image/handle.ts";
import type { CaptureRule } from "../image/layer-index.ts";
import type { ReadLayersOptions } from "../image/read.ts";
import { platformString } from "../image/types.ts";
import { CATALOGERS } from "./catalogers/index.ts";
import { readDirectory } from "./directory.ts";
import { DISTRO_CAPTURE, type Distro, detectDistro } from "./distro.ts";
import { fileView, type Scope, type ViewLayer } from "./files.ts";
import { packageId } from "./identity.ts";
import type { Cataloger, Location, Package, PackageType } from "./types.ts";

export interface SbomLayer {
  index: number;
  diffId: string;
  digest: string;
  createdBy?: string;
}

export interface SbomSource {
  type: "image" | "directory";
  /** What the user named (image spec or directory path). */
  name: string;
  /** Image reference, when known. */
  reference?: string;
  manifestDigest?: string;
  configDigest?: string;
  platform?: string;
  layers?: SbomLayer[];
}

export interface SbomPackage extends Omit<Package, "ownedFiles"> {
  id: string;
}

export interface SbomRelationship {
  /** Id of the package that contains the other. */
  parent: string;
  /** purl (or type:name@version) of the contained package, reported only under its parent. */
  child: string;
  type: "contains";
}

export interface SbomResult {
  schema: "drydock-sbom/1";
  source: SbomSource;
  scope: Scope;
  distro?: Distro;
  packages: SbomPackage[];
  relationships: SbomRelationship[];
  catalogers: string[];
}

export interface SbomOptions {
  scope?: Scope;
  /** Cataloger names to run (default: all). */
  catalogers?: readonly string[];
  /** Layer reading options (concurrency, limits). */
  read?: Omit<ReadLayersOptions, "capture">;
}

export function selectCatalogers(names?: readonly string[]): Cataloger[] {
  if (!names || names.length === 0) return [...CATALOGERS];
  const known = new Map(CATALOGERS.map((c) => [c.name, c]));
  return names.map((name) => {
    const found = known.get(name) ?? CATALOGERS.find((c) => c.name.startsWith(`${name}-`));
    if (!found) throw new UsageError(`unknown cataloger "${name}" (known: ${[...known.keys()].join(", ")})`);
    return found;
  });
}

/** The capture rules of the given catalogers plus distro detection, each rule once. */
export function sbomCaptureRules(catalogers: readonly Cataloger[] = CATALOGERS): CaptureRule[] {
  return [...new Set([...DISTRO_CAPTURE, ...catalogers.flatMap((c) => c.capture)])];
}

const OS_TYPES = new Set<PackageType>(["deb", "apk", "rpm"]);
const TYPE_ORDER: PackageType[] = [
  "deb",
  "apk",
  "rpm",
  "python",
  "npm",
  "go-module",
  "java-archive",
  "gem",
  "rust-crate",
  "dotnet",
  "php-composer",
];

function compareLocations(a: Location | undefined, b: Location | undefined): number {
  const pa = a?.path ?? "";
  const pb = b?.path ?? "";
  if (pa !== pb) return pa < pb ? -1 : 1;
  return (a?.layerIndex ?? 0) - (b?.layerIndex ?? 0);
}

function comparePackages(a: Package, b: Package): number {
  const ta = TYPE_ORDER.indexOf(a.type);
  const tb = TYPE_ORDER.indexOf(b.type);
  if (ta !== tb) return ta - tb;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return compareLocations(a.locations[0], b.locations[0]);
}

/** all-layers: the same package at the same path in several layers is one package. */
function mergeDuplicates(packages: Package[]): Package[] {
  const byKey = new Map<string, Package>();
  for (const pkg of packages) {
    const key = [pkg.type, pkg.name, pkg.version, pkg.purl ?? "", pkg.locations[0]?.path ?? ""].join(
      "\u0000",
    );
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...pkg, locations: [...pkg.locations] });
      continue;
    }
    for (const location of pkg.locations) {
      if (!seen.locations.some((l) => l.path === location.path && l.layerDiffId === location.layerDiffId)) {
        seen.locations.push(location);
      }
    }
    seen.locations.sort((x, y) => (x.layerIndex ?? 0) - (y.layerIndex ?? 0));
  }
  return [...byKey.values()];
}

function childName(pkg: Package): string {
  return pkg.purl ?? `${pkg.type}:${pkg.name}@${pkg.version}`;
}

/** Moves language packages whose files an OS package owns under that package. */
function relateOwnedPackages(packages: Package[]): {
  kept: SbomPackage[];
  relationships: SbomRelationship[];
} {
  const withIds = packages.map((pkg) => ({ pkg, id: packageId(pkg) }));
  const owner = new Map<string, { pkg: Package; id: string }>();
  for (const entry of withIds) {
    if (!OS_TYPES.has(entry.pkg.type)) continue;
    for (const file of entry.pkg.ownedFiles ?? []) if (!owner.has(file)) owner.set(file, entry);
  }
  const relationships: SbomRelationship[] = [];
  const kept: SbomPackage[] = [];
  const contains = new Map<string, string[]>();
  for (const { pkg, id } of withIds) {
    const parent = OS_TYPES.has(pkg.type) ? undefined : owner.get(pkg.locations[0]?.path ?? "");
    if (parent) {
      relationships.push({ parent: parent.id, child: childName(pkg), type: "contains" });
      const list = contains.get(parent.id) ?? [];
      list.push(childName(pkg));
      contains.set(parent.id, list);
      continue;
    }
    const { ownedFiles, ...rest } = pkg;
    kept.push({
      ...rest,
      id,
      ...(ownedFiles ? { metadata: { ...rest.metadata, files: ownedFiles.length } } : {}),
    });
  }
  for (const pkg of kept) {
    const list = contains.get(pkg.id);
    if (list) pkg.metadata = { ...pkg.metadata, contains: [...new Set(list)].sort() };
  }
  relationships.sort((a, b) => (a.parent + a.child < b.parent + b.child ? -1 : 1));
  return { kept, relationships };
}

/** Runs the catalogers over layers already read (bottom first). */
export function catalogLayers(
  layers: readonly ViewLayer[],
  catalogers: readonly Cataloger[],
  scope: Scope,
): { distro?: Distro; packages: SbomPackage[]; relationships: SbomRelationship[] } {
  const squashed = fileView(layers, "squashed");
  const files = scope === "squashed" ? squashed : fileView(layers, scope);
  const distro = detectDistro(squashed);
  const found: Package[] = [];
  for (const cataloger of catalogers)
    found.push(...cataloger.catalog({ files, ...(distro ? { distro } : {}) }));
  const merged = scope === "all-layers" ? mergeDuplicates(found) : found;
  merged.sort(comparePackages);
  const { kept, relationships } = relateOwnedPackages(merged);
  return { ...(distro ? { distro } : {}), packages: kept, relationships };
}

export async function sbomImage(
  handle: ImageHandle,
  name: string,
  options: SbomOptions = {},
): Promise<SbomResult> {
  const catalogers = selectCatalogers(options.catalogers);
  const scope = options.scope ?? "squashed";
  const data = await handle.readLayers({ ...options.read, capture: sbomCaptureRules(catalogers) });
  const image = await handle.resolve();
  const layers = data.map((l) => ({ index: l.index, diffId: l.ref.diffId }));
  const result = catalogLayers(layers, catalogers, scope);
  return {
    schema: "drydock-sbom/1",
    source: {
      type: "image",
      name,
      ...(image.reference ? { reference: image.reference } : {}),
      ...(image.manifestDigest ? { manifestDigest: image.manifestDigest } : {}),
      configDigest: image.configDigest,
      platform: platformString(image.platform),
      layers: data.map((l) => ({
        index: l.ref.index,
        diffId: l.ref.diffId,
        digest: l.ref.descriptor.digest,
        ...(l.ref.history?.created_by ? { createdBy: l.ref.history.created_by } : {}),
      })),
    },
    scope,
    ...result,
    catalogers: catalogers.map((c) => c.name),
  };
}

export async function sbomDirectory(
  path: string,
  options: SbomOptions & { cwd?: string } = {},
): Promise<SbomResult> {
  const catalogers = selectCatalogers(options.catalogers);
  const root = resolvePath(options.cwd ?? "/", path);
  const stats = await stat(root).catch(() => undefined);
  if (!stats?.isDirectory()) throw new UsageError(`${path}: not a directory`);
  const { index } = await readDirectory(root, sbomCaptureRules(catalogers));
  const result = catalogLayers([{ index }], catalogers, "squashed");
  return {
    schema: "drydock-sbom/1",
    source: { type: "directory", name: path },
    scope: options.scope ?? "squashed",
    ...result,
    catalogers: catalogers.map((c) => c.name),
  };
}
