/**
 * Alpine packages from apk's database `/lib/apk/db/installed` (format:
 * https://wiki.alpinelinux.org/wiki/Apk_spec#Installed_Database_V2): stanzas of one-letter
 * fields, `F:` starts a directory whose files follow as `R:` lines. purl as syft writes it:
 * pkg:apk/alpine/NAME@VERSION?arch=ARCH&distro=alpine-3.19.1&upstream=ORIGIN (upstream only
 * when the origin differs from the name).
 */
import { introducedIn } from "../attribution.ts";
import { distroQualifier } from "../distro.ts";
import { isSpdxExpression, normalizeLicense, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "apk-db-cataloger";
const isInstalledDb = (path: string) => path.endsWith("/lib/apk/db/installed");

export interface ApkEntry {
  name: string;
  version: string;
  arch?: string;
  license?: string;
  origin?: string;
  size?: number;
  installedSize?: number;
  commit?: string;
  maintainer?: string;
  url?: string;
  description?: string;
  dependencies: string[];
  provides: string[];
  files: string[];
}

export function parseApkInstalled(text: string): ApkEntry[] {
  const entries: ApkEntry[] = [];
  let current: Partial<ApkEntry> & { dependencies: string[]; provides: string[]; files: string[] } = {
    dependencies: [],
    provides: [],
    files: [],
  };
  let dir = "";
  const flush = () => {
    if (current.name && current.version) entries.push(current as ApkEntry);
    current = { dependencies: [], provides: [], files: [] };
    dir = "";
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (line[1] !== ":") continue;
    const value = line.slice(2);
    switch (line[0]) {
      case "P":
        current.name = value;
        break;
      case "V":
        current.version = value;
        break;
      case "A":
        current.arch = value;
        break;
      case "L":
        current.license = value;
        break;
      case "o":
        current.origin = value;
        break;
      case "S":
        current.size = Number(value);
        break;
      case "I":
        current.installedSize = Number(value);
        break;
      case "c":
        current.commit = value;
        break;
      case "m":
        current.maintainer = value;
        break;
      case "U":
        current.url = value;
        break;
      case "T":
        current.description = value;
        break;
      case "D":
        current.dependencies = value.split(/\s+/).filter(Boolean);
        break;
      case "p":
        current.provides = value.split(/\s+/).filter(Boolean);
        break;
      case "F":
        dir = `/${value}`;
        break;
      case "R":
        current.files.push(dir === "/" || dir === "" ? `/${value}` : `${dir}/${value}`);
        break;
    }
  }
  flush();
  return entries;
}

/** apk's `L:` is an SPDX expression in recent Alpine, a space-separated list in older ones. */
export function apkLicenses(value: string | undefined): string[] {
  if (!value) return [];
  const text = value.trim();
  if (isSpdxExpression(text) || /\s(AND|OR|WITH)\s/.test(text)) return [normalizeLicense(text)];
  return [...new Set(text.split(/\s+/).filter(Boolean).map(normalizeLicense))].sort();
}

const keyOf = (e: ApkEntry) => `${e.name}\u0000${e.version}\u0000${e.arch ?? ""}`;

function catalog(input: CatalogInput): Package[] {
  const { files, distro } = input;
  const packages: Package[] = [];
  for (const db of files.find(isInstalledDb)) {
    const content = files.read(db);
    if (!content) continue;
    const introduced = introducedIn(
      files,
      db.path,
      (ref) => parseApkInstalled(files.read(ref)?.toString("utf8") ?? "").map(keyOf),
      db.layer,
    );
    for (const entry of parseApkInstalled(content.toString("utf8"))) {
      const layer = introduced.get(keyOf(entry)) ?? db.layer;
      const metadata: Record<string, unknown> = { architecture: entry.arch };
      if (entry.origin) metadata.origin = entry.origin;
      if (entry.size !== undefined) metadata.size = entry.size;
      if (entry.installedSize !== undefined) metadata.installedSize = entry.installedSize;
      if (entry.commit) metadata.commit = entry.commit;
      if (entry.maintainer) metadata.maintainer = entry.maintainer;
      if (entry.url) metadata.url = entry.url;
      if (entry.dependencies.length > 0) metadata.dependencies = entry.dependencies;
      if (entry.provides.length > 0) metadata.provides = entry.provides;
      packages.push({
        name: entry.name,
        version: entry.version,
        type: "apk",
        foundBy: NAME,
        ...(distro
          ? {
              purl: purl("apk", distro.id, entry.name, entry.version, {
                arch: entry.arch,
                distro: distroQualifier(distro),
                upstream: entry.origin && entry.origin !== entry.name ? entry.origin : undefined,
              }),
            }
          : {}),
        cpes: [],
        licenses: apkLicenses(entry.license),
        locations: [files.location({ path: db.path, layer })],
        metadata,
        ownedFiles: entry.files,
      });
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [{ matches: isInstalledDb, maxBytes: 64 * 1024 * 1024 }],
  catalog,
};
