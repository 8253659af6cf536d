/**
 * The SBOM model: packages found by catalogers, where they were found (path and layer), and
 * how they relate. Formats (CycloneDX, SPDX, drydock JSON, table) are renderings of this.
 */
import type { CaptureRule } from "../image/layer-index.ts";
import type { Distro } from "./distro.ts";
import type { FileView } from "./files.ts";

/** Package ecosystems, named as purl types where one exists. */
export type PackageType =
  | "deb"
  | "apk"
  | "rpm"
  | "python"
  | "npm"
  | "go-module"
  | "java-archive"
  | "gem"
  | "rust-crate"
  | "dotnet"
  | "php-composer";

export interface Location {
  path: string;
  /** diffID of the layer the file came from (images only). */
  layerDiffId?: string;
  /** 0-based layer index (images only). */
  layerIndex?: number;
}

export interface Package {
  name: string;
  version: string;
  type: PackageType;
  /** Name of the cataloger that found it (e.g. `dpkg-db-cataloger`). */
  foundBy: string;
  purl?: string;
  cpes: string[];
  /** Licence expressions, SPDX where the source allows (as found otherwise). */
  licenses: string[];
  locations: Location[];
  /** Type-specific facts (architecture, source package, checksums, ...). */
  metadata: Record<string, unknown>;
  /** Files the package owns (OS packages): used to relate language packages to them. */
  ownedFiles?: string[];
}

export interface Relationship {
  /** Package ids (see packageId). */
  parent: string;
  child: string;
  type: "contains" | "owns-files-of";
}

/** What a cataloger sees: the files of the scope and the distro detected in them. */
export interface CatalogInput {
  files: FileView;
  distro?: Distro;
}

/**
 * One cataloger per file in catalogers/. `capture` names the files (and how much of them) the
 * single layer pass must keep; `catalog` turns them into packages.
 */
export interface Cataloger {
  name: string;
  capture: CaptureRule[];
  catalog(input: CatalogInput): Package[];
}
