/**
 * Debian packages from dpkg's database (dpkg(1), deb-control(5)): `/var/lib/dpkg/status`, the
 * one-file-per-package `status.d/` of distroless images, owned files from `info/*.list` (or
 * `status.d/*.md5sums`), licences from machine-readable `/usr/share/doc/PKG/copyright`
 * (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/). Only packages whose
 * Status is `installed` count (`deinstall ok config-files` leaves a stanza behind).
 * purl as syft writes it: pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12&upstream=SRC.
 */
import { posix } from "node:path";
import { introducedIn } from "../attribution.ts";
import { parseStanzas, type Stanza } from "../control.ts";
import { distroQualifier } from "../distro.ts";
import type { FileRef, FileView } from "../files.ts";
import { normalizeLicenses, purl } from "../identity.ts";
import type { Cataloger, CatalogInput, Package } from "../types.ts";

const NAME = "dpkg-db-cataloger";
const MiB = 1024 * 1024;

const isStatus = (path: string) => path.endsWith("/var/lib/dpkg/status");
const isStatusD = (path: string) =>
  /\/var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path) && !path.endsWith(".md5sums");
const isStatusDSums = (path: string) => /\/var\/lib\/dpkg\/status\.d\/[^/]+\.md5sums$/.test(path);
const isInfoList = (path: string) => /\/var\/lib\/dpkg\/info\/[^/]+\.list$/.test(path);
const isCopyright = (path: string) => /^\/usr\/share\/doc\/[^/]+\/copyright$/.test(path);

interface DpkgEntry {
  name: string;
  version: string;
  arch?: string;
  source?: string;
  sourceVersion?: string;
  installedSize?: number;
  maintainer?: string;
  depends?: string;
  provides?: string;
  multiArch?: string;
}

/** `Source: src (1.2-3)` names the source package and, when it differs, its version. */
function parseSource(value: string | undefined): { source?: string; sourceVersion?: string } {
  if (!value) return {};
  const match = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(value.trim());
  if (!match) return {};
  return { source: match[1], ...(match[2] ? { sourceVersion: match[2] } : {}) };
}

function isInstalled(stanza: Stanza): boolean {
  const status = stanza.get("Status");
  // distroless status.d stanzas carry no Status field: every one is installed.
  if (status === undefined) return true;
  return status.split(/\s+/)[2] === "installed";
}

export function parseDpkgStatus(text: string): DpkgEntry[] {
  const entries: DpkgEntry[] = [];
  for (const stanza of parseStanzas(text)) {
    const name = stanza.get("Package");
    const version = stanza.get("Version");
    if (!name || !version || !isInstalled(stanza)) continue;
    const size = Number.parseInt(stanza.get("Installed-Size") ?? "", 10);
    entries.push({
      name,
      version,
      arch: stanza.get("Architecture"),
      ...parseSource(stanza.get("Source")),
      ...(Number.isFinite(size) ? { installedSize: size } : {}),
      maintainer: stanza.get("Maintainer"),
      depends: stanza.get("Depends"),
      provides: stanza.get("Provides"),
      multiArch: stanza.get("Multi-Arch"),
    });
  }
  return entries;
}

const keyOf = (e: DpkgEntry) => `${e.name}\u0000${e.version}\u0000${e.arch ?? ""}`;

/** Licences named in a machine-readable copyright file (`License:` short names). */
export function parseCopyrightLicenses(text: string): string[] {
  if (!/^Format:\s*\S*copyright-format/im.test(text)) return [];
  const found: string[] = [];
  for (const match of text.matchAll(/^License:[ \t]*([^\n]+)$/gm)) {
    const value = match[1]!.trim();
    if (value !== "") found.push(value);
  }
  return found;
}

/** Owned files by package name (`name` or `name:arch` list files). */
function ownedFiles(files: FileView, root: string): Map<string, string[]> {
  const owned = new Map<string, string[]>();
  for (const ref of files.find((p) => isInfoList(p) && p.startsWith(root))) {
    const base = posix.basename(ref.path, ".list");
    const content = files.read(ref);
    if (!content) continue;
    const paths = content
      .toString("utf8")
      .split("\n")
      .filter((l) => l.startsWith("/"));
    owned.set(base, paths);
  }
  for (const ref of files.find((p) => isStatusDSums(p) && p.startsWith(root))) {
    const base = posix.basename(ref.path, ".md5sums");
    const content = files.read(ref);
    if (!content) continue;
    const paths = content
      .toString("utf8")
      .split("\n")
      .map((l) => /^[0-9a-f]{32}\s+(.+)$/.exec(l.trim())?.[1])
      .filter((p): p is string => p !== undefined)
      .map((p) => `/${p.replace(/^\/+/, "")}`);
    owned.set(base, paths);
  }
  return owned;
}

function licensesByPackage(files: FileView, root: string): Map<string, { licenses: string[]; path: string }> {
  const out = new Map<string, { licenses: string[]; path: string }>();
  const prefix = root === "/" ? "" : root;
  for (const ref of files.find(
    (p) => p.startsWith(`${prefix}/usr/share/doc/`) && isCopyright(p.slice(prefix.length)),
  )) {
    const content = files.read(ref);
    if (!content) continue;
    const name = ref.path.slice(prefix.length).split("/")[4]!;
    out.set(name, {
      licenses: normalizeLicenses(parseCopyrightLicenses(content.toString("utf8"))),
      path: ref.path,
    });
  }
  return out;
}

/** The root a database path belongs to (`/` for `/var/lib/dpkg/status`). */
function rootOf(dbPath: string): string {
  const cut = dbPath.indexOf("/var/lib/dpkg/");
  return cut <= 0 ? "/" : dbPath.slice(0, cut);
}

function toPackage(
  entry: DpkgEntry,
  input: CatalogInput,
  db: FileRef,
  layer: number,
  extra: Extras,
): Package {
  const { distro } = input;
  const namespace = distro?.id ?? "debian";
  const upstream = entry.source
    ? entry.sourceVersion && entry.sourceVersion !== entry.version
      ? `${entry.source}@${entry.sourceVersion}`
      : entry.source
    : undefined;
  const owned = extra.owned.get(entry.name) ?? extra.owned.get(`${entry.name}:${entry.arch}`);
  const copyright = extra.licenses.get(entry.name);
  const location = input.files.location({ path: db.path, layer });
  const metadata: Record<string, unknown> = { architecture: entry.arch };
  if (entry.source) metadata.source = entry.source;
  if (entry.sourceVersion) metadata.sourceVersion = entry.sourceVersion;
  if (entry.installedSize !== undefined) metadata.installedSizeKiB = entry.installedSize;
  if (entry.maintainer) metadata.maintainer = entry.maintainer;
  if (entry.depends) metadata.depends = entry.depends.replace(/\n/g, " ");
  if (entry.provides) metadata.provides = entry.provides;
  return {
    name: entry.name,
    version: entry.version,
    type: "deb",
    foundBy: NAME,
    ...(distro
      ? {
          purl: purl("deb", namespace, entry.name, entry.version, {
            arch: entry.arch,
            distro: distroQualifier(distro),
            upstream,
          }),
        }
      : {}),
    cpes: [],
    licenses: copyright?.licenses ?? [],
    locations: [location],
    metadata,
    ...(owned ? { ownedFiles: owned } : {}),
  };
}

interface Extras {
  owned: Map<string, string[]>;
  licenses: Map<string, { licenses: string[]; path: string }>;
}

function catalog(input: CatalogInput): Package[] {
  const { files } = input;
  const packages: Package[] = [];
  const extras = new Map<string, Extras>();
  const extrasFor = (root: string) => {
    let found = extras.get(root);
    if (!found) {
      found = { owned: ownedFiles(files, root), licenses: licensesByPackage(files, root) };
      extras.set(root, found);
    }
    return found;
  };
  for (const db of files.find(isStatus)) {
    const content = files.read(db);
    if (!content) continue;
    const entries = parseDpkgStatus(content.toString("utf8"));
    const introduced = introducedIn(
      files,
      db.path,
      (ref) => parseDpkgStatus(files.read(ref)?.toString("utf8") ?? "").map(keyOf),
      db.layer,
    );
    const extra = extrasFor(rootOf(db.path));
    for (const entry of entries) {
      packages.push(toPackage(entry, input, db, introduced.get(keyOf(entry)) ?? db.layer, extra));
    }
  }
  for (const ref of files.find(isStatusD)) {
    const content = files.read(ref);
    if (!content) continue;
    const extra = extrasFor(rootOf(ref.path));
    for (const entry of parseDpkgStatus(content.toString("utf8"))) {
      packages.push(toPackage(entry, input, ref, ref.layer, extra));
    }
  }
  return packages;
}

export const cataloger: Cataloger = {
  name: NAME,
  capture: [
    { matches: (p) => isStatus(p) || isStatusD(p), maxBytes: 64 * MiB },
    { matches: (p) => isInfoList(p) || isStatusDSums(p), maxBytes: 16 * MiB },
    { matches: (p) => isCopyright(p), maxBytes: 1 * MiB },
  ],
  catalog,
};
